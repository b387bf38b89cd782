import type { XietongApi } from '../../shared/api';

/**
 * Whether `value` looks like the preload's API object. The preload is trusted code of ours; this
 * check only tells "the preload ran" apart from "no preload" (a plain browser), and a half-built
 * object (e.g. an older preload) from a usable one.
 */
export function isXietongApi(value: unknown): value is XietongApi {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { on?: unknown; session?: { login?: unknown; current?: unknown } };
  return typeof candidate.on === 'function' && typeof candidate.session?.login === 'function' && typeof candidate.session.current === 'function';
}
