export { createVoiceHandlers, type VoiceHandlers, type VoiceServiceOptions } from './voiceService';
