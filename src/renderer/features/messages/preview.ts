/** A message in one line, in the interface language: the conversation list's last message, a notification's body. */
import type { TFunction } from 'i18next';
import { messagePreviewText, type ChatMessage } from '../../../shared/api/messaging.contract';

/** The shared one-line rule (what main indexes and notifies with), with the bracketed words in the interface language. */
export function messagePreview(content: ChatMessage['content'], t: TFunction): string {
  if (!content) return t('messaging.recalledShort');
  return messagePreviewText(content, { file: t('messaging.file'), image: t('messaging.image'), document: t('messaging.document'), voice: t('messaging.voice') });
}
