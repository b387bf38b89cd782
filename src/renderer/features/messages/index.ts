/** 消息 (messages): the section component the main window shows for this feature. */
export { MessagesSection } from './MessagesSection';
export { useBrowserNotifications } from './useBrowserNotifications';
