/** 签批: handwriting (手写签批) and voice (语音签批), the 处理笺, 常用语, and their players and views. */
export { HandwrittenOpinion } from './HandwrittenOpinion';
export { InkImage } from './InkImage';
export { InkPad, PAD_HEIGHT, PAD_WIDTH } from './InkPad';
export { SheetButton } from './SheetButton';
export { PhrasePicker } from './PhrasePicker';
export { OpinionsPanel } from './OpinionsPanel';
export { VoiceRecorder, type VoiceRecording, type VoiceRecorderProps } from './VoiceRecorder';
export { VoiceSignoff, keepVoice } from './VoiceSignoff';
export { VoiceNotePlayer } from './VoiceNotePlayer';
export { VoiceAudio } from './VoiceAudio';
