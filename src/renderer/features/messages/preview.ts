/** A message in one line, in the interface language: the conversation list's last message, a notification's body. */
import type { TFunction } from 'i18next';
import type { ChatMessage } from '../../../shared/api/messaging.contract';

export function messagePreview(content: ChatMessage['content'], t: TFunction): string {
  if (!content) return t('messaging.recalledShort');
  switch (content.type) {
    case 'text':
      return content.text;
    case 'file':
      return `[${t('messaging.file')}] ${content.file.name}`;
    case 'image':
      return `[${t('messaging.image')}] ${content.file.name}`;
    case 'document':
      return `[${t('messaging.document')}] ${content.title}`;
    case 'voice':
      return `[${t('messaging.voice')}]`;
  }
}
