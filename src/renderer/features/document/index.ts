/** The document screens: box lists, the document view, 拟稿, 用印 and the body editor. */
export { BoxSection } from './BoxSection';
export { DocumentView } from './DocumentView';
export { DocumentList } from './DocumentList';
