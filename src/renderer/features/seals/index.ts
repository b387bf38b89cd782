/** 印章 (seals and certificates): the section component the main window shows for this feature. */
export { SealsSection } from './SealsSection';
