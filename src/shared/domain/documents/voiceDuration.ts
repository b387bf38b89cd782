/** How a 语音签批 recording's length is written for people: `m:ss` (rounded to the nearest second, at least 0:01). */
export function formatDuration(durationMs: number): string {
  const seconds = Math.max(1, Math.round(durationMs / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
