/** 已办 (done): the section component the main window shows for this feature. */
export { DoneSection } from './DoneSection';
