/** Where pasted blocks land: a heading pasted mid-line stays a heading; one paragraph joins the line. */
import { describe, expect, it } from 'vitest';
import { $createParagraphNode, $createTextNode, $getRoot, $getSelection, $isElementNode, $isRangeSelection, $isTextNode, createEditor } from 'lexical';
import type { BodyBlock } from '../../../src/shared/domain/documents';
import { $bodyBlocks, $insertBlocksAtSelection } from '../../../src/renderer/features/editor/bodyBlocks';
import { bodyEditorNodes } from '../../../src/renderer/features/editor/nodes';

function pasteInto(lines: string[], caret: { line: number; offset: number }, blocks: BodyBlock[]): BodyBlock[] {
  const editor = createEditor({ namespace: 't', nodes: [...bodyEditorNodes], onError: (e) => {
      throw e;
    },
  });
  editor.update(
    () => {
      const root = $getRoot();
      for (const line of lines) root.append($createParagraphNode().append(...(line ? [$createTextNode(line)] : [])));
      const target = root.getChildren()[caret.line];
      const text = $isElementNode(target) ? target.getFirstChild() : null;
      if ($isTextNode(text)) text.select(caret.offset, caret.offset);
      else if ($isElementNode(target)) target.select();
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) throw new Error('no selection');
      $insertBlocksAtSelection(selection, blocks);
    },
    { discrete: true },
  );
  return editor.getEditorState().read($bodyBlocks);
}

const heading: BodyBlock = { kind: 'heading', level: 1, runs: [{ text: '下一步工作' }] };
const bold: BodyBlock = { kind: 'paragraph', runs: [{ text: '抓好' }, { text: '落实', bold: true }] };

describe('$insertBlocksAtSelection', () => {
  it('puts a heading and a paragraph pasted at the end of a line after it, as blocks', () => {
    expect(pasteInto(['重点项目。'], { line: 0, offset: 5 }, [heading, bold])).toEqual([{ kind: 'paragraph', runs: [{ text: '重点项目。' }] }, heading, bold]);
  });

  it('splits the line when pasted in its middle', () => {
    expect(pasteInto(['前半后半'], { line: 0, offset: 2 }, [heading])).toEqual([
      { kind: 'paragraph', runs: [{ text: '前半' }] },
      heading,
      { kind: 'paragraph', runs: [{ text: '后半' }] },
    ]);
  });

  it('replaces an empty line, and joins a single paragraph into the line', () => {
    expect(pasteInto(['上', '', '下'], { line: 1, offset: 0 }, [heading])).toEqual([
      { kind: 'paragraph', runs: [{ text: '上' }] },
      heading,
      { kind: 'paragraph', runs: [{ text: '下' }] },
    ]);
    expect(pasteInto(['甲乙'], { line: 0, offset: 1 }, [bold])).toEqual([{ kind: 'paragraph', runs: [{ text: '甲抓好' }, { text: '落实', bold: true }, { text: '乙' }] }]);
  });
});
