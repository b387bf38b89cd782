/**
 * The Lexical nodes of the document body beyond paragraphs and text: GB/T 9704 headings (h1–h4 of
 * @lexical/rich-text, numbered by CSS counters from their position, never by stored text), lists,
 * tables, and two of our own — a page break and a line of the 附件说明. Every node here must be
 * registered with the editor: the Yjs binding syncs a node by its type name and refuses unknown ones.
 */
import type { JSX } from 'react';
import {
  $applyNodeReplacement,
  DecoratorNode,
  ElementNode,
  type DOMConversionMap,
  type DOMExportOutput,
  type EditorConfig,
  type Klass,
  type LexicalNode,
  type LexicalUpdateJSON,
  type NodeKey,
  type RangeSelection,
  type SerializedElementNode,
  type SerializedLexicalNode,
} from 'lexical';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { ListItemNode, ListNode } from '@lexical/list';
import { TableCellNode, TableNode, TableRowNode } from '@lexical/table';

/** Type names as stored in the room; the server's reader (roomBody.ts) looks for these. */
export const PAGE_BREAK_TYPE = 'pagebreak';
export const ATTACHMENT_NOTE_TYPE = 'attachment-note';

/** A class name our own nodes read from the editor theme (Lexical types custom theme keys as any). */
function themeClass(config: EditorConfig, key: string, fallback: string): string {
  const value: unknown = config.theme[key];
  return typeof value === 'string' ? value : fallback;
}

export type SerializedPageBreakNode = SerializedLexicalNode;

/** A forced page break: the printed body continues on a new page. */
export class PageBreakNode extends DecoratorNode<JSX.Element> {
  static override getType(): string {
    return PAGE_BREAK_TYPE;
  }

  static override clone(node: PageBreakNode): PageBreakNode {
    return new PageBreakNode(node.__key);
  }

  static override importJSON(serialized: SerializedPageBreakNode): PageBreakNode {
    return $createPageBreakNode().updateFromJSON(serialized);
  }

  static override importDOM(): DOMConversionMap | null {
    return {
      // Word and WPS mark a page break as a <br style="page-break-before:always"> (or -after).
      br: (node: HTMLElement) =>
        /page-break-(before|after)\s*:\s*always|break-before\s*:\s*page/i.test(node.getAttribute('style') ?? '')
          ? { conversion: () => ({ node: $createPageBreakNode() }), priority: 3 }
          : null,
      hr: (node: HTMLElement) =>
        node.getAttribute('data-page-break') !== null ? { conversion: () => ({ node: $createPageBreakNode() }), priority: 3 } : null,
    };
  }

  constructor(key?: NodeKey) {
    super(key);
  }

  override exportJSON(): SerializedPageBreakNode {
    return { ...super.exportJSON(), type: PAGE_BREAK_TYPE, version: 1 };
  }

  override exportDOM(): DOMExportOutput {
    const hr = document.createElement('hr');
    hr.setAttribute('data-page-break', '');
    return { element: hr };
  }

  override createDOM(config: EditorConfig): HTMLElement {
    const div = document.createElement('div');
    div.className = themeClass(config, 'pageBreak', 'doc-body__page-break');
    div.setAttribute('role', 'separator');
    div.setAttribute('contenteditable', 'false');
    return div;
  }

  override updateDOM(): boolean {
    return false;
  }

  override getTextContent(): string {
    return '\n';
  }

  override isInline(): false {
    return false;
  }

  override decorate(): JSX.Element {
    // The label comes from CSS (data-label set by the toolbar's i18n), so the node needs no context.
    return <span className="doc-body__page-break-line" aria-hidden="true" />;
  }
}

export function $createPageBreakNode(): PageBreakNode {
  return $applyNodeReplacement(new PageBreakNode());
}

export function $isPageBreakNode(node: LexicalNode | null | undefined): node is PageBreakNode {
  return node instanceof PageBreakNode;
}

export type SerializedAttachmentNoteNode = SerializedElementNode;

/**
 * One line of the 附件说明: the name of an attachment. Printed after the body, one blank line
 * below it, indented two characters, as "附件：1．名称" (GB/T 9704 7.3.4) — wherever it stands here.
 */
export class AttachmentNoteNode extends ElementNode {
  static override getType(): string {
    return ATTACHMENT_NOTE_TYPE;
  }

  static override clone(node: AttachmentNoteNode): AttachmentNoteNode {
    return new AttachmentNoteNode(node.__key);
  }

  static override importJSON(serialized: SerializedAttachmentNoteNode): AttachmentNoteNode {
    return $createAttachmentNoteNode().updateFromJSON(serialized);
  }

  static override importDOM(): DOMConversionMap | null {
    return {
      p: (node: HTMLElement) =>
        node.getAttribute('data-attachment-note') !== null ? { conversion: () => ({ node: $createAttachmentNoteNode() }), priority: 2 } : null,
    };
  }

  override updateFromJSON(serialized: LexicalUpdateJSON<SerializedAttachmentNoteNode>): this {
    return super.updateFromJSON(serialized);
  }

  override exportJSON(): SerializedAttachmentNoteNode {
    return { ...super.exportJSON(), type: ATTACHMENT_NOTE_TYPE, version: 1 };
  }

  override exportDOM(): DOMExportOutput {
    const p = document.createElement('p');
    p.setAttribute('data-attachment-note', '');
    return { element: p };
  }

  override createDOM(config: EditorConfig): HTMLElement {
    const p = document.createElement('p');
    p.className = themeClass(config, 'attachmentNote', 'doc-body__attachment-note');
    return p;
  }

  override updateDOM(): boolean {
    return false;
  }

  /** Enter after a 附件说明 line starts the next one (the list of attachments goes on). */
  override insertNewAfter(_selection: RangeSelection, restoreSelection = true): AttachmentNoteNode {
    const next = $createAttachmentNoteNode();
    this.insertAfter(next, restoreSelection);
    return next;
  }
}

export function $createAttachmentNoteNode(): AttachmentNoteNode {
  return $applyNodeReplacement(new AttachmentNoteNode());
}

export function $isAttachmentNoteNode(node: LexicalNode | null | undefined): node is AttachmentNoteNode {
  return node instanceof AttachmentNoteNode;
}

/** Every node the body's editor (and a headless editor reading it) must register. */
export const bodyEditorNodes: ReadonlyArray<Klass<LexicalNode>> = [
  HeadingNode,
  QuoteNode,
  ListNode,
  ListItemNode,
  TableNode,
  TableRowNode,
  TableCellNode,
  PageBreakNode,
  AttachmentNoteNode,
];
