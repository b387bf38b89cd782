/**
 * The body of a document: a Lexical rich-text editor bound to the `doc:<id>` Yjs room through
 * main (BridgeProvider), so edits are stored locally first and synced whenever the server is
 * reachable. Only the person holding a step where the text may change can type; everyone else
 * reads — and once the server says the person may no longer write (the document moved on), the
 * editor locks whatever the view last said (BodyRightsNotice). The room's first paragraph is
 * created by one client only: the drafter at 拟稿 (the one moment exactly one person may write).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CollaborationPlugin } from '@lexical/react/LexicalCollaborationPlugin';
import { LexicalCollaboration } from '@lexical/react/LexicalCollaborationContext';
import { LexicalComposer } from '@lexical/react/LexicalComposer';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import type { Provider } from '@lexical/yjs';
import * as Y from 'yjs';
import { useApi } from '../../app/apiContext';
import { BodyStructurePlugins, bodyEditorNodes, bodyEditorTheme } from '../editor/BodyStructurePlugins';
import { BodyToolbar } from '../editor/BodyToolbar';
import type { DocxFrame } from '../editor/docxExport';
import { DomSelectionPlugin } from '../editor/DomSelectionPlugin';
import { BridgeProvider } from './bridgeProvider';
import { BodyRightsNotice, useBodyRefusals } from './BodyRightsNotice';
import { presenceColor } from '../../../shared/domain/presenceColor';
import { describeError } from '../../i18n/errors';

export interface BodyEditorProps {
  documentId: string;
  editable: boolean;
  /** True for exactly one client of a document: the drafter while it is at 拟稿. */
  bootstrap: boolean;
  username: string;
  /** The signed-in person's id: their caret's colour (the server stamps the same on their presence). */
  userId?: string;
  /** Receives the body's Yjs document once the editor has it (the 修订 view reverts changes in it). */
  onDocReady?: (doc: Y.Doc) => void;
  /** Receives a function that resolves once every edit so far is stored by main. */
  onFlushReady?: (flush: () => Promise<void>) => void;
  /** The document's title and 主送机关, for 导出 Word. */
  title?: string;
  mainRecipients?: readonly string[];
  /** The 版头 and 落款 the document has, for 导出 Word. */
  exportFrame?: DocxFrame;
}

function EditableFollower({ editable }: { editable: boolean }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => editor.setEditable(editable), [editor, editable]);
  return null;
}

export function BodyEditor({ documentId, editable: mayEdit, bootstrap, username, userId, onDocReady, onFlushReady, title = '', mainRecipients, exportFrame }: BodyEditorProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  // Others' carets and selections, with their names, drawn over the body (not over the whole page).
  const cursors = useRef<HTMLDivElement | null>(null);
  // Set by DomSelectionPlugin once the editor exists; the provider calls it before each remote edit.
  const adoptDomSelection = useRef<(() => void) | null>(null);
  const onAdoptReady = useCallback((adopt: () => void) => {
    adoptDomSelection.current = adopt;
  }, []);
  const room = `doc:${documentId}`;
  // The server's word wins over the view's: once it says the body is read-only, it is.
  const refusals = useBodyRefusals(mayEdit);
  const editable = mayEdit && !refusals.readOnly;

  const initialConfig = useMemo(
    () => ({
      namespace: `xietong-${documentId}`,
      // With collaboration the state comes from the room, never from here.
      editorState: null,
      editable,
      onError: (e: Error) => setError(e.message),
      // Headings, lists, tables, page breaks, 附件说明: registered so the Yjs binding can sync them.
      nodes: [...bodyEditorNodes],
      theme: bodyEditorTheme,
    }),
    // The composer reads its config once (a new document remounts it, key below); later
    // `editable` changes go through EditableFollower.
    [documentId, editable],

  );

  const providerFactory = useMemo(
    () =>
      (id: string, yjsDocMap: Map<string, Y.Doc>): Provider => {
        let doc = yjsDocMap.get(id);
        if (!doc) {
          doc = new Y.Doc();
          yjsDocMap.set(id, doc);
        }
        const provider = new BridgeProvider(api, room, doc, (failure) => setError(describeError(failure, t)), refusals.report);
        provider.beforeRemoteUpdate = () => adoptDomSelection.current?.();
        onFlushReady?.(() => provider.flush());
        onDocReady?.(doc);
        return provider;
      },
    [api, room, onFlushReady, onDocReady, refusals.report],
  );

  return (
    <div className="doc-body">
      <LexicalCollaboration>
        <LexicalComposer key={documentId} initialConfig={initialConfig}>
          <BodyToolbar editable={editable} title={title} {...(mainRecipients ? { mainRecipients } : {})} {...(exportFrame ? { frame: exportFrame } : {})} />
          <div className={`doc-body__frame${editable ? ' doc-body__frame--editable' : ''}`}>
            <div ref={cursors} className="doc-body__cursors" />
            <RichTextPlugin
              contentEditable={<ContentEditable className="doc-body__editable" aria-label={t('docs.body')} aria-readonly={!editable} />}
              placeholder={<div className="doc-body__placeholder">{editable ? t('docs.bodyPlaceholder') : t('docs.bodyEmpty')}</div>}
              ErrorBoundary={LexicalErrorBoundary}
            />
          </div>
          <CollaborationPlugin id={room} providerFactory={providerFactory} shouldBootstrap={bootstrap} username={username} cursorsContainerRef={cursors} {...(userId ? { cursorColor: presenceColor(userId) } : {})} />
          <EditableFollower editable={editable} />
          <BodyStructurePlugins />
          <DomSelectionPlugin onReady={onAdoptReady} />
        </LexicalComposer>
      </LexicalCollaboration>
      <BodyRightsNotice refusals={refusals} />
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
