/** 待办 (to-do): the section component the main window shows for this feature. */
export { TodoSection } from './TodoSection';
