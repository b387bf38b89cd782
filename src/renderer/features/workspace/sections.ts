/**
 * The sections of the main window, in navigation order (INTERFACES.md: 待办, 已办, 发文, 收文, 交换,
 * 消息, 印章). Each is a feature folder exporting its section component; a feature plugs in here.
 */
import type { ComponentType } from 'react';
import { DoneSection } from '../done';
import { ExchangeSection } from '../exchange';
import { IncomingSection } from '../incoming';
import { MessagesSection } from '../messages';
import { OutgoingSection } from '../outgoing';
import { SealsSection } from '../seals';
import { TodoSection } from '../todo';

export const sectionIds = ['todo', 'done', 'outgoing', 'incoming', 'exchange', 'messages', 'seals'] as const;
export type SectionId = (typeof sectionIds)[number];

export const sectionComponents: Record<SectionId, ComponentType> = {
  todo: TodoSection,
  done: DoneSection,
  outgoing: OutgoingSection,
  incoming: IncomingSection,
  exchange: ExchangeSection,
  messages: MessagesSection,
  seals: SealsSection,
};
