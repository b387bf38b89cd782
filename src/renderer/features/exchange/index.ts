/** 交换 (exchange between units): the section component the main window shows for this feature. */
export { ExchangeSection } from './ExchangeSection';
