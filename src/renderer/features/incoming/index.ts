/** 收文 (incoming documents): the section component the main window shows for this feature. */
export { IncomingSection } from './IncomingSection';
