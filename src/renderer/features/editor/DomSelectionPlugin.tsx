/**
 * Keeps the editor's selection the one the person sees. Lexical learns of a caret move (Ctrl+End,
 * a click, an arrow) from the browser's `selectionchange`, which comes a task later; keys that
 * arrive in the same burst — a fast typist, keystrokes buffered by a remote desktop, a scanner —
 * were handled at the caret's old place (Ctrl+End then Enter split the paragraph where the caret
 * had been), and a colleague's edit arriving in that gap put the caret back where it had been
 * (Lexical's collaboration restores the local caret from its last known position). Before a key
 * is handled, and before a remote edit is applied, the DOM's selection is adopted if it differs.
 */
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $createRangeSelectionFromDom, $getSelection, $setSelection, COMMAND_PRIORITY_CRITICAL, KEY_DOWN_COMMAND, type LexicalEditor } from 'lexical';

/** Inside an update: adopts the DOM's selection when it lies in this editor and differs from Lexical's. */
/** Inside an update or a read: the DOM's selection when it lies in this editor and differs from Lexical's. */
function $differingDomSelection(editor: LexicalEditor) {
  const root = editor.getRootElement();
  const dom = root?.ownerDocument.defaultView?.getSelection() ?? null;
  // Only while the caret is in the body: a selection in the 意见 field is none of the editor's business,
  // and an IME composition owns the caret until it ends.
  if (!root || !dom || dom.rangeCount === 0 || !dom.anchorNode || !root.contains(dom.anchorNode) || editor.isComposing()) return null;
  const fromDom = $createRangeSelectionFromDom(dom, editor);
  if (!fromDom) return null;
  const current = $getSelection();
  return current && fromDom.is(current) ? null : fromDom;
}

/** Inside an update: adopts the DOM's selection when it lies in this editor and differs from Lexical's. */
export function $adoptDomSelection(editor: LexicalEditor): void {
  const fromDom = $differingDomSelection(editor);
  if (fromDom) $setSelection(fromDom);
}

/**
 * Adopts the DOM's selection now (outside an update), e.g. before a remote edit is applied. Compared
 * in a read first: an update on every remote edit would run every update listener for nothing.
 */
export function adoptDomSelection(editor: LexicalEditor): void {
  if (!editor.isEditable()) return;
  if (!editor.read(() => $differingDomSelection(editor) !== null)) return;
  editor.update(() => $adoptDomSelection(editor), { discrete: true, tag: 'adopt-dom-selection' });
}

export function DomSelectionPlugin({ onReady }: { onReady?: (adopt: () => void) => void }) {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerCommand(
        KEY_DOWN_COMMAND,
        () => {
          $adoptDomSelection(editor);
          // Never handles the key itself: Enter, Backspace and the rest go on, now at the right place.
          return false;
        },
        COMMAND_PRIORITY_CRITICAL,
      ),
    [editor],
  );
  useEffect(() => onReady?.(() => adoptDomSelection(editor)), [editor, onReady]);
  return null;
}
