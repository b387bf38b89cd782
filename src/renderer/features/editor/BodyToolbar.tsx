/**
 * The official-document toolbar above the body: paragraph style (正文 and the four GB/T 9704
 * heading levels), bold, numbered and bulleted lists, a table, a page break, 附件说明; the live word
 * count and estimated printed pages; 导入 Word (for whoever may write the body now) and 导出 Word
 * (for every reader). Everything it does is an ordinary Lexical edit, so the Yjs binding carries it
 * to the room like typing.
 */
import { useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import {
  $createParagraphNode,
  $getSelection,
  $isRangeSelection,
  $isRootOrShadowRoot,
  COMMAND_PRIORITY_LOW,
  FORMAT_TEXT_COMMAND,
  SELECTION_CHANGE_COMMAND,
  type LexicalEditor,
} from 'lexical';
import { $setBlocksType } from '@lexical/selection';
import { $createHeadingNode, $isHeadingNode } from '@lexical/rich-text';
import { $isListNode, INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, REMOVE_LIST_COMMAND } from '@lexical/list';
import { INSERT_TABLE_COMMAND } from '@lexical/table';
import { $findMatchingParent, $insertNodeToNearestRoot, mergeRegister } from '@lexical/utils';
import { bodyStatistics, type BodyStatistics } from '../../../shared/domain/documents';
import type { DocxImportError } from './docxImport';
import { $bodyBlocks, $replaceBody } from './bodyBlocks';
import type { DocxFrame } from './docxExport';
import { $createAttachmentNoteNode, $createPageBreakNode, $isAttachmentNoteNode } from './nodes';

export type BlockStyle = 'paragraph' | 'h1' | 'h2' | 'h3' | 'h4' | 'attachment' | 'number' | 'bullet';

export interface BodyToolbarProps {
  editable: boolean;
  /** The document's title and 主送机关, written at the head of the exported .docx. */
  title: string;
  mainRecipients?: readonly string[];
  /** The 版头 and 落款 the document has (发文机关, 发文字号, 成文日期 …), around the exported body. */
  frame?: DocxFrame;
}

function $currentStyle(): { style: BlockStyle; bold: boolean } {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return { style: 'paragraph', bold: false };
  const anchor = selection.anchor.getNode();
  const block = anchor.getKey() === 'root' ? anchor : ($findMatchingParent(anchor, (n) => n.getParent() !== null && $isRootOrShadowRoot(n.getParent())) ?? anchor);
  const bold = selection.hasFormat('bold');
  if ($isHeadingNode(block)) return { style: block.getTag() as BlockStyle, bold };
  if ($isListNode(block)) return { style: block.getListType() === 'number' ? 'number' : 'bullet', bold };
  if ($isAttachmentNoteNode(block)) return { style: 'attachment', bold };
  return { style: 'paragraph', bold };
}

function applyStyle(editor: LexicalEditor, style: BlockStyle, current: BlockStyle): void {
  if (style === 'number' || style === 'bullet') {
    editor.dispatchCommand(style === current ? REMOVE_LIST_COMMAND : style === 'number' ? INSERT_ORDERED_LIST_COMMAND : INSERT_UNORDERED_LIST_COMMAND, undefined);
    return;
  }
  if (current === 'number' || current === 'bullet') editor.dispatchCommand(REMOVE_LIST_COMMAND, undefined);
  editor.update(() => {
    const selection = $getSelection();
    if (style === 'paragraph') $setBlocksType(selection, () => $createParagraphNode());
    else if (style === 'attachment') $setBlocksType(selection, () => $createAttachmentNoteNode());
    else $setBlocksType(selection, () => $createHeadingNode(style));
  });
}

/** Throttles statistics to one computation per animation frame-ish pause while typing fast. */
const statsDelayMs = 150;

function download(bytes: Uint8Array, name: string): void {
  const blob = new Blob([bytes as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name without characters Windows refuses. */
/** A file name from the title; an untitled body is named in the interface language (正文 / Body). */
const safeName = (title: string, untitled: string) => (title.replace(/[\\/:*?"<>|\r\n]+/g, ' ').trim() || untitled).slice(0, 120);

export function BodyToolbar({ editable, title, mainRecipients, frame }: BodyToolbarProps) {
  const { t } = useTranslation();
  const [editor] = useLexicalComposerContext();
  const [style, setStyle] = useState<BlockStyle>('paragraph');
  const [bold, setBold] = useState(false);
  const [stats, setStats] = useState<BodyStatistics>({ characters: 0, lines: 0, pages: 1 });
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refreshStats = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        setStats(editor.getEditorState().read(() => bodyStatistics($bodyBlocks())));
      }, statsDelayMs);
    };
    const refreshStyle = () => {
      const current = editor.getEditorState().read($currentStyle);
      setStyle(current.style);
      setBold(current.bold);
    };
    refreshStats();
    return mergeRegister(
      editor.registerUpdateListener(() => {
        refreshStats();
        refreshStyle();
      }),
      editor.registerCommand(
        SELECTION_CHANGE_COMMAND,
        () => {
          refreshStyle();
          return false;
        },
        COMMAND_PRIORITY_LOW,
      ),
      () => {
        if (timer) clearTimeout(timer);
      },
    );
  }, [editor]);

  const onStyle = (event: ChangeEvent<HTMLSelectElement>) => {
    const next = event.target.value as BlockStyle;
    applyStyle(editor, next, style);
    editor.focus();
  };

  const insertTable = () => editor.dispatchCommand(INSERT_TABLE_COMMAND, { rows: '3', columns: '3', includeHeaders: false });
  const insertPageBreak = () =>
    editor.update(() => {
      $insertNodeToNearestRoot($createPageBreakNode());
    });

  const importWord = useCallback(
    async (file: File) => {
      setBusy(true);
      setMessage(null);
      try {
        // mammoth loads on first use only (its own chunk): most people never import a file.
        const { docxToBody } = await import('./docxImport');
        const imported = await docxToBody(new Uint8Array(await file.arrayBuffer()));
        editor.update(() => $replaceBody(imported.blocks));
        setMessage({ kind: 'info', text: t('editor.imported', { name: file.name }) });
      } catch (error) {
        // A refusal says why in the person's language; anything else is a failure with its message.
        const refused = error instanceof Error && error.name === 'DocxImportError' ? (error as DocxImportError) : null;
        setMessage({
          kind: 'error',
          text: refused ? t(`editor.docx.${refused.problem}`, { ...refused.params, defaultValue: refused.message }) : t('editor.importFailed', { reason: error instanceof Error ? error.message : String(error) }),
        });
      } finally {
        setBusy(false);
      }
    },
    [editor, t],
  );

  const exportWord = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const blocks = editor.getEditorState().read($bodyBlocks);
      const { bodyToDocx } = await import('./docxExport');
      const bytes = await bodyToDocx({ title, blocks, ...(mainRecipients ? { mainRecipients } : {}), ...(frame ? { frame } : {}) });
      download(bytes, `${safeName(title, t('docs.body'))}.docx`);
    } catch (error) {
      setMessage({ kind: 'error', text: t('editor.exportFailed', { reason: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="body-toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
      {editable ? (
        <>
          <select className="body-toolbar__style" aria-label={t('editor.style')} value={style === 'number' || style === 'bullet' ? 'paragraph' : style} onChange={onStyle}>
            <option value="paragraph">{t('editor.styles.paragraph')}</option>
            <option value="h1">{t('editor.styles.h1')}</option>
            <option value="h2">{t('editor.styles.h2')}</option>
            <option value="h3">{t('editor.styles.h3')}</option>
            <option value="h4">{t('editor.styles.h4')}</option>
            <option value="attachment">{t('editor.styles.attachment')}</option>
          </select>
          <button type="button" className="body-toolbar__button body-toolbar__bold" aria-label={t('editor.bold')} aria-pressed={bold} onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'bold')}>
            B
          </button>
          <button type="button" className="body-toolbar__button" aria-label={t('editor.numbered')} aria-pressed={style === 'number'} onClick={() => applyStyle(editor, 'number', style)}>
            1.
          </button>
          <button type="button" className="body-toolbar__button" aria-label={t('editor.bulleted')} aria-pressed={style === 'bullet'} onClick={() => applyStyle(editor, 'bullet', style)}>
            •
          </button>
          <button type="button" className="body-toolbar__button" onClick={insertTable}>
            {t('editor.table')}
          </button>
          <button type="button" className="body-toolbar__button" onClick={insertPageBreak}>
            {t('editor.pageBreak')}
          </button>
          <button type="button" className="body-toolbar__button" onClick={() => applyStyle(editor, style === 'attachment' ? 'paragraph' : 'attachment', style)} aria-pressed={style === 'attachment'}>
            {t('editor.attachmentNote')}
          </button>
          <button type="button" className="body-toolbar__button" disabled={busy} onClick={() => fileInput.current?.click()}>
            {t('editor.importWord')}
          </button>
          <input
            ref={fileInput}
            type="file"
            hidden
            accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            aria-label={t('editor.importFile')}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importWord(file);
            }}
          />
        </>
      ) : null}
      <button type="button" className="body-toolbar__button" disabled={busy} onClick={() => void exportWord()}>
        {t('editor.exportWord')}
      </button>
      {/* A note, not a live region: a count announced at every keystroke would drown the typing. */}
      <span className="body-toolbar__stats" role="note" aria-label={t('editor.statsLabel')}>
        {t('editor.stats', { characters: stats.characters, count: stats.pages })}
      </span>
      {message ? (
        <p className={`notice ${message.kind === 'error' ? 'notice--error' : 'notice--info'} body-toolbar__message`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
