/**
 * Links a page asks to open go to the system browser or mail client only when they are https or
 * mailto. http, file, javascript, smb and custom protocol handlers are refused: opening them could
 * leak credentials on the intranet or launch a local program.
 */

/** True when `url` may be handed to `shell.openExternal`. */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'mailto:') return parsed.pathname.length > 0 && !/[\r\n]/.test(url);
  if (parsed.protocol !== 'https:') return false;
  // user:pass@host links are a phishing trick ("https://trusted.gov.cn@evil.example").
  if (parsed.username !== '' || parsed.password !== '') return false;
  return parsed.hostname !== '';
}
