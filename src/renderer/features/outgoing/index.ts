/** 发文 (outgoing documents): the section component the main window shows for this feature. */
export { OutgoingSection } from './OutgoingSection';
