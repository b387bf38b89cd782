import { BoxSection } from '../document';

/** The 待办 section of the main window: its box of documents, and the document opened from it. */
export function TodoSection() {
  return <BoxSection section="todo" box="todo" />;
}
