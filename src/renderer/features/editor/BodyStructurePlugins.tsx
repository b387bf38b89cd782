/**
 * The editor behaviour the body's structure needs, in one place so BodyEditor adds it with one
 * line: lists and tables (Lexical's own plugins for their commands and keyboard handling), the
 * headings' numbers, and paste from Word/WPS.
 */
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { TablePlugin } from '@lexical/react/LexicalTablePlugin';
import type { EditorThemeClasses } from 'lexical';
import { HeadingNumbersPlugin } from './HeadingNumbersPlugin';
import { WordPastePlugin } from './WordPastePlugin';

export { bodyEditorNodes } from './nodes';

/** CSS classes of the body's nodes (documents.css draws them as the printed document looks). */
export const bodyEditorTheme: EditorThemeClasses = {
  paragraph: 'doc-body__paragraph',
  heading: { h1: 'doc-body__h doc-body__h1', h2: 'doc-body__h doc-body__h2', h3: 'doc-body__h doc-body__h3', h4: 'doc-body__h doc-body__h4' },
  list: { ol: 'doc-body__ol', ul: 'doc-body__ul', listitem: 'doc-body__li' },
  table: 'doc-body__table',
  tableRow: 'doc-body__tr',
  tableCell: 'doc-body__cell',
  text: { bold: 'doc-body__bold' },
  attachmentNote: 'doc-body__attachment-note',
  pageBreak: 'doc-body__page-break',
};

export function BodyStructurePlugins() {
  return (
    <>
      <ListPlugin />
      <TablePlugin hasCellMerge={false} hasCellBackgroundColor={false} hasHorizontalScroll={false} />
      <HeadingNumbersPlugin />
      <WordPastePlugin />
    </>
  );
}
