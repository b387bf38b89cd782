/** A Lexical editor with the body's nodes bound to a Y.Doc the way CollaborationPlugin binds it, without a network. */
import { createEditor, type LexicalEditor } from 'lexical';
import { createBinding, syncLexicalUpdateToYjs, type Provider } from '@lexical/yjs';
import * as Y from 'yjs';
import type { BodyBlock } from '../../src/shared/domain/documents';
import { $replaceBody } from '../../src/renderer/features/editor/bodyBlocks';
import { bodyEditorNodes } from '../../src/renderer/features/editor/nodes';

export function boundEditor(doc: Y.Doc): LexicalEditor {
  const editor = createEditor({
    namespace: 'test',
    nodes: [...bodyEditorNodes],
    onError: (e) => {
      throw e;
    },
  });
  const awareness = { getLocalState: () => null, getStates: () => new Map(), on: () => {}, off: () => {}, setLocalState: () => {}, setLocalStateField: () => {} };
  const provider = { awareness, connect: () => {}, disconnect: () => {}, on: () => {}, off: () => {} } as unknown as Provider;
  const binding = createBinding(editor, provider, 'body', doc, new Map([['body', doc]]));
  editor.registerUpdateListener(({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) => {
    syncLexicalUpdateToYjs(binding, provider, prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags);
  });
  return editor;
}

/** The Yjs update a Lexical editor writes for a body of `blocks` (typed into an empty room). */
export function structuredBodyUpdate(blocks: readonly BodyBlock[]): Uint8Array {
  const doc = new Y.Doc();
  boundEditor(doc).update(() => $replaceBody(blocks), { discrete: true });
  return Y.encodeStateAsUpdate(doc);
}
