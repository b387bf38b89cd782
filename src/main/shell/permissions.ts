/**
 * Permission requests from pages: everything is refused except the microphone, for our own page,
 * for voice sign-off (语音批示). Camera, screen capture, geolocation, notifications through the web
 * API, HID/USB/serial and so on are never needed by the UI.
 */
import { isAppUrl } from './appProtocol';

export interface PermissionQuery {
  readonly permission: string;
  /** URL of the page asking. */
  readonly requestingUrl: string;
  /** For 'media': what is asked for. Audio only is allowed; any video refuses the request. */
  readonly mediaTypes?: readonly string[];
}

export function isPermissionAllowed(query: PermissionQuery): boolean {
  if (!isAppUrl(query.requestingUrl)) return false;
  if (query.permission !== 'media') return false;
  const types = query.mediaTypes ?? [];
  return types.length > 0 && types.every((type) => type === 'audio');
}
