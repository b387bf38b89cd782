import { BoxSection } from '../document';

/** The 收文 section (with search) of the main window: its box of documents, and the document opened from it. */
export function IncomingSection() {
  return <BoxSection section="incoming" box="incoming" searchable />;
}
