/**
 * Shows each heading's GB/T 9704 number (一、 （一） 1. （1）) from its position, using the same rule
 * as the server's renderer and 导出 Word (`formatHeadingNumber`, counted as `headingNumbers` counts):
 * the number is never typed or stored, so moving or deleting a heading renumbers the rest. Written
 * as `data-number` on the heading's element and drawn by CSS (`::before { content: attr(data-number) }`),
 * outside the editable text.
 *
 * It reads the editor's DOM, not its state: the reconciler may recreate a heading's element (a
 * heading inserted before it, a remote edit), and a MutationObserver on the root's children sees
 * every such replacement, where an update listener alone could run before it.
 */
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { formatHeadingNumber, type HeadingLevel } from '../../../shared/domain/documents';

function renumber(root: HTMLElement): void {
  const counters = [0, 0, 0, 0];
  for (const element of Array.from(root.children)) {
    const match = /^H([1-6])$/.exec(element.tagName);
    if (!match) continue;
    const level = Math.min(4, Number(match[1])) as HeadingLevel;
    counters[level - 1] = (counters[level - 1] ?? 0) + 1;
    for (let j = level; j < counters.length; j++) counters[j] = 0;
    const number = formatHeadingNumber(level, counters[level - 1] ?? 1);
    if (element.getAttribute('data-number') !== number) element.setAttribute('data-number', number);
  }
}

export function HeadingNumbersPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    let observer: MutationObserver | undefined;
    const stopRoot = editor.registerRootListener((root) => {
      observer?.disconnect();
      observer = undefined;
      if (!root) return;
      renumber(root);
      // Setting an attribute is no childList change: this never triggers itself.
      observer = new MutationObserver(() => renumber(root));
      observer.observe(root, { childList: true });
    });
    const stopUpdates = editor.registerUpdateListener(() => {
      const root = editor.getRootElement();
      if (root) renumber(root);
    });
    return () => {
      stopRoot();
      stopUpdates();
      observer?.disconnect();
    };
  }, [editor]);
  return null;
}
