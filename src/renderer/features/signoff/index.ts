/** 手写签批 and the 处理笺: the signing pad, handwriting shown as vectors, the sheet download. */
export { HandwrittenOpinion } from './HandwrittenOpinion';
export { InkImage } from './InkImage';
export { InkPad, PAD_HEIGHT, PAD_WIDTH } from './InkPad';
export { SheetButton } from './SheetButton';
export { PhrasePicker } from './PhrasePicker';
export { OpinionsPanel } from './OpinionsPanel';
