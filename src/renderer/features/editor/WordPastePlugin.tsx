/**
 * Paste from Word or WPS: the clipboard's HTML becomes the body's blocks (wordHtml.ts) — headings,
 * bold, lists, tables, page breaks, 附件说明 — and every foreign style (fonts, colours, sizes,
 * `mso-*`) is left behind. A copy from this editor itself (Lexical's own clipboard format) and
 * plain text keep Lexical's handling.
 */
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getSelection, $isRangeSelection, COMMAND_PRIORITY_HIGH, PASTE_COMMAND } from 'lexical';
import { $insertBlocksAtSelection } from './bodyBlocks';
import { htmlToBodyBlocks } from './wordHtml';

export function WordPastePlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerCommand(
        PASTE_COMMAND,
        (event) => {
          const data = 'clipboardData' in event ? event.clipboardData : null;
          if (!data || data.types.includes('application/x-lexical-editor')) return false;
          const html = data.getData('text/html');
          if (!html) return false;
          const blocks = htmlToBodyBlocks(html);
          if (blocks.length === 0) return false;
          event.preventDefault();
          editor.update(() => {
            const selection = $getSelection();
            if ($isRangeSelection(selection)) $insertBlocksAtSelection(selection, blocks);
          });
          return true;
        },
        COMMAND_PRIORITY_HIGH,
      ),
    [editor],
  );
  return null;
}
