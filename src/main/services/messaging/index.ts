/** 即时通讯 in main (docs/messaging.md). */
export { createMessagingService, type ChatNotification, type MessagingService, type MessagingServiceOptions } from './messagingService';
export { createFileUploadSpool, spoolBody, type UploadSpool } from './uploadSpool';
