import { BoxSection } from '../document';

/** The 已办 section of the main window: its box of documents, and the document opened from it. */
export function DoneSection() {
  return <BoxSection section="done" box="done" />;
}
