/**
 * Which frames may call the contract: only our own page, top frame. A subframe or a page from any
 * other origin (should one ever load despite the navigation guards) must not reach the services —
 * they act with the signed-in person's token.
 */
import { isAppUrl } from './appProtocol';

/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
}

export function isTrustedSender(frame: FrameLike | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}
