/** 签批: voice sign-off (语音签批) — the recorder, its document wiring, and the player of 流转记录. */
export { VoiceRecorder, type VoiceRecording, type VoiceRecorderProps } from './VoiceRecorder';
export { VoiceSignoff, keepVoice } from './VoiceSignoff';
export { VoiceNotePlayer } from './VoiceNotePlayer';
