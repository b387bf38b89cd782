/**
 * RFC 3161 client: asks a time-stamping authority for a token over a signature value (PAdES B-T).
 */
import { createHash, randomBytes } from 'node:crypto';
import { booleanValue, child, children, content, encoded, integer, octetString, readElement, sequence, sha256AlgorithmId } from '../der';

/** Where and how to reach the TSA. */
export interface TimestampAuthority {
  readonly url: string;
  /** Milliseconds before giving up (default 10 s). */
  readonly timeoutMs?: number;
}

/** Thrown when the TSA cannot be reached or refuses. */
export class TimestampError extends Error {
  override name = 'TimestampError';
}

/** Builds a TimeStampReq for SHA-256 of `data`, asking for the TSA certificate in the token. */
export function timestampRequest(data: Buffer, nonce: Buffer): Buffer {
  const imprint = sequence(sha256AlgorithmId(), octetString(createHash('sha256').update(data).digest()));
  return sequence(integer(1), imprint, integer(nonce), booleanValue(true));
}

/** Requests a time-stamp token over `data` (the CMS signature value) and returns the token's DER. */
export async function requestTimestamp(tsa: TimestampAuthority, data: Buffer): Promise<Buffer> {
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0] ?? 0) & 0x7f;
  let response: Response;
  try {
    response = await fetch(tsa.url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: new Uint8Array(timestampRequest(data, nonce)),
      signal: AbortSignal.timeout(tsa.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new TimestampError(`time-stamp authority ${tsa.url} unreachable (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (!response.ok) throw new TimestampError(`time-stamp authority answered HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  try {
    const reply = readElement(body);
    const [status, token] = children(reply);
    if (!status) throw new Error('empty reply');
    const statusValue = content(child(status, 0)).readUIntBE(0, 1);
    // 0 granted, 1 grantedWithMods; anything else is a refusal.
    if (statusValue > 1 || !token) throw new TimestampError(`time-stamp authority refused the request (status ${statusValue})`);
    return Buffer.from(encoded(token));
  } catch (error) {
    if (error instanceof TimestampError) throw error;
    throw new TimestampError(`time-stamp authority sent an unreadable reply (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}
