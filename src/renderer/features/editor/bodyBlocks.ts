/**
 * Between the editor and the shared body model (src/shared/domain/documents/bodyStructure.ts):
 * reading the editor's state as blocks (for the word count, the page estimate and 导出 Word) and
 * writing blocks into it (导入 Word, paste from Word/WPS). Both run inside `editor.read` /
 * `editor.update` (the `$` prefix, as Lexical names such functions).
 */
import {
  $createLineBreakNode,
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $isElementNode,
  $isRootOrShadowRoot,
  type RangeSelection,
  $isLineBreakNode,
  $isParagraphNode,
  $isTextNode,
  type ElementNode,
  type LexicalNode,
} from 'lexical';
import { $createHeadingNode, $isHeadingNode, type HeadingTagType } from '@lexical/rich-text';
import { $createListItemNode, $createListNode, $isListItemNode, $isListNode } from '@lexical/list';
import { $createTableCellNode, $createTableNode, $createTableRowNode, $isTableCellNode, $isTableNode, $isTableRowNode, TableCellHeaderStates } from '@lexical/table';
import type { BodyBlock, HeadingLevel, InlineRun } from '../../../shared/domain/documents';
import { $createAttachmentNoteNode, $createPageBreakNode, $isAttachmentNoteNode, $isPageBreakNode } from './nodes';

function $runs(element: ElementNode): InlineRun[] {
  const runs: InlineRun[] = [];
  const push = (text: string, bold: boolean) => {
    const last = runs[runs.length - 1];
    if (last && !!last.bold === bold) runs[runs.length - 1] = { ...last, text: last.text + text };
    else runs.push(bold ? { text, bold: true } : { text });
  };
  const walk = (node: LexicalNode) => {
    if ($isTextNode(node)) push(node.getTextContent(), node.hasFormat('bold'));
    else if ($isLineBreakNode(node)) push('\n', false);
    else if ($isElementNode(node)) node.getChildren().forEach(walk);
  };
  element.getChildren().forEach(walk);
  return runs.filter((r) => r.text.length > 0);
}

const levelOf = (tag: HeadingTagType): HeadingLevel => Math.min(4, Number(tag.slice(1))) as HeadingLevel;

function $listItems(list: ElementNode): InlineRun[][] {
  return list.getChildren().flatMap((item) => {
    if (!$isListItemNode(item)) return [];
    const nested = item.getChildren().filter($isListNode);
    if (nested.length > 0) return nested.flatMap((n) => $listItems(n));
    return [$runs(item)];
  });
}

/** The body in the editor now, as blocks (call inside `editor.read` or `editor.getEditorState().read`). */
export function $bodyBlocks(): BodyBlock[] {
  const blocks: BodyBlock[] = [];
  for (const node of $getRoot().getChildren()) {
    if ($isHeadingNode(node)) blocks.push({ kind: 'heading', level: levelOf(node.getTag()), runs: $runs(node) });
    else if ($isListNode(node)) blocks.push({ kind: 'list', ordered: node.getListType() === 'number', items: $listItems(node) });
    else if ($isTableNode(node)) {
      const rows = node.getChildren().filter($isTableRowNode).map((row) => row.getChildren().filter($isTableCellNode).map((cell) => cell.getTextContent().trim()));
      blocks.push({ kind: 'table', rows });
    } else if ($isPageBreakNode(node)) blocks.push({ kind: 'pageBreak' });
    else if ($isAttachmentNoteNode(node)) blocks.push({ kind: 'attachmentNote', runs: $runs(node) });
    else if ($isElementNode(node)) blocks.push({ kind: 'paragraph', runs: $runs(node) });
  }
  return blocks;
}

function $appendRuns(element: ElementNode, runs: readonly InlineRun[]): ElementNode {
  for (const run of runs) {
    run.text.split('\n').forEach((part, i) => {
      if (i > 0) element.append($createLineBreakNode());
      if (part.length === 0) return;
      const text = $createTextNode(part);
      if (run.bold) text.toggleFormat('bold');
      element.append(text);
    });
  }
  return element;
}

/** Lexical nodes for blocks (to insert at the selection or append to the root). */
export function $nodesFromBlocks(blocks: readonly BodyBlock[]): LexicalNode[] {
  return blocks.map((block) => {
    switch (block.kind) {
      case 'paragraph':
        return $appendRuns($createParagraphNode(), block.runs);
      case 'heading':
        return $appendRuns($createHeadingNode(`h${block.level}`), block.runs);
      case 'attachmentNote':
        return $appendRuns($createAttachmentNoteNode(), block.runs);
      case 'list': {
        const list = $createListNode(block.ordered ? 'number' : 'bullet');
        for (const item of block.items) list.append($appendRuns($createListItemNode(), item));
        return list;
      }
      case 'table': {
        const table = $createTableNode();
        const columns = Math.max(1, ...block.rows.map((r) => r.length));
        for (const cells of block.rows) {
          const row = $createTableRowNode();
          for (let c = 0; c < columns; c++) {
            const cell = $createTableCellNode(TableCellHeaderStates.NO_STATUS);
            cell.append($appendRuns($createParagraphNode(), [{ text: cells[c] ?? '' }]));
            row.append(cell);
          }
          table.append(row);
        }
        return table;
      }
      case 'pageBreak':
        return $createPageBreakNode();
    }
  });
}

/** Replaces the whole body with `blocks` (导入 Word). Leaves one empty paragraph when there are none. */
export function $replaceBody(blocks: readonly BodyBlock[]): void {
  const root = $getRoot();
  root.clear();
  const nodes = $nodesFromBlocks(blocks);
  if (nodes.length === 0) nodes.push($createParagraphNode());
  root.append(...nodes);
  // A body that ends in a table or page break gets a paragraph after it, so the caret can go there.
  const last = root.getLastChild();
  if (last && !$isParagraphNode(last) && !$isHeadingNode(last) && !$isAttachmentNoteNode(last)) root.append($createParagraphNode());
}

/**
 * Inserts pasted blocks at the selection. One plain paragraph joins the text where the caret is;
 * anything else (a heading, a list, a table, several blocks) goes in as blocks of its own: the
 * paragraph at the caret is split there (an empty one is replaced), so a pasted heading stays a
 * heading instead of melting into the line it was pasted on. Inside a table cell, Lexical's own
 * insertion keeps the cell's structure.
 */
export function $insertBlocksAtSelection(selection: RangeSelection, blocks: readonly BodyBlock[]): void {
  const only = blocks.length === 1 ? blocks[0] : undefined;
  const nodes = $nodesFromBlocks(blocks);
  if (only?.kind === 'paragraph') {
    const paragraph = nodes[0];
    if ($isElementNode(paragraph)) selection.insertNodes(paragraph.getChildren());
    return;
  }
  const anchor = selection.anchor.getNode();
  const block = $isRootOrShadowRoot(anchor) ? null : anchor.getTopLevelElement();
  if (!block || !$isElementNode(block) || !$isRootOrShadowRoot(block.getParent()) || $isTableNode(block)) {
    selection.insertNodes(nodes);
    return;
  }
  if (!selection.isCollapsed()) selection.removeText();
  let before: ElementNode | null;
  if ($isParagraphNode(block) && block.getTextContent().trim() === '') before = block;
  else before = selection.insertParagraph();
  if (!before) {
    selection.insertNodes(nodes);
    return;
  }
  for (const node of nodes) before.insertBefore(node);
  // The split-off rest of the line stays after what was pasted; an empty one goes, unless the body
  // would end in a table, list or page break and the caret needs a line after it.
  const last = nodes[nodes.length - 1];
  const caretFits = $isParagraphNode(last) || $isHeadingNode(last) || $isAttachmentNoteNode(last);
  if (before.getTextContent().trim() === '' && (before.getNextSibling() !== null || caretFits)) before.remove();
  if ($isElementNode(last)) last.selectEnd();
}
