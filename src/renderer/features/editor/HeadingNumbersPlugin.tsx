/**
 * Shows each heading's GB/T 9704 number (一、 （一） 1. （1）) from its position, using the same rule
 * as the server's renderer and 导出 Word (`headingNumbers`): the number is never typed or stored,
 * so moving or deleting a heading renumbers the rest. Written as `data-number` on the heading's
 * element and drawn by CSS (`::before { content: attr(data-number) }`), outside the editable text.
 */
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getRoot, type LexicalEditor } from 'lexical';
import { $isHeadingNode } from '@lexical/rich-text';
import { formatHeadingNumber, type HeadingLevel } from '../../../shared/domain/documents';

function renumber(editor: LexicalEditor): void {
  editor.getEditorState().read(() => {
    const counters = [0, 0, 0, 0];
    for (const node of $getRoot().getChildren()) {
      if (!$isHeadingNode(node)) continue;
      const level = Math.min(4, Number(node.getTag().slice(1))) as HeadingLevel;
      counters[level - 1] = (counters[level - 1] ?? 0) + 1;
      for (let j = level; j < counters.length; j++) counters[j] = 0;
      const number = formatHeadingNumber(level, counters[level - 1]!);
      const element = editor.getElementByKey(node.getKey());
      if (element && element.getAttribute('data-number') !== number) element.setAttribute('data-number', number);
    }
  });
}

export function HeadingNumbersPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    renumber(editor);
    return editor.registerUpdateListener(() => renumber(editor));
  }, [editor]);
  return null;
}
