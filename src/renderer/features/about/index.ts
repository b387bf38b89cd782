/** 关于 and 导出诊断信息. */
export { AboutPanel } from './AboutPanel';
