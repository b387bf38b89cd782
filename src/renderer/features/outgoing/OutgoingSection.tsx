import { BoxSection } from '../document';

/** The 发文 section (with 拟稿) of the main window: its box of documents, and the document opened from it. */
export function OutgoingSection() {
  return <BoxSection section="outgoing" box="outgoing" canDraft />;
}
