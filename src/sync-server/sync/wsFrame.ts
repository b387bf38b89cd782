/**
 * Server-to-client WebSocket frames (RFC 6455 §5.2) for the sync service's sends: one final,
 * unmasked binary frame. A relay goes to every other client of the room; framing it once and
 * writing the same bytes to each socket saves the per-recipient framing (a header buffer, a
 * cork/uncork and a two-buffer writev in `ws`) that dominates a small update's cost.
 *
 * The service writes these frames to the socket itself, beside `ws`. That keeps the byte order
 * because `ws` writes synchronously too as long as nothing is queued in its sender, which holds
 * here: no permessage-deflate (the server disables it) and no Blob sends.
 */

/** FIN + opcode 2 (binary). */
const FIN_BINARY = 0x82;

/** The largest payload framed here (a 16-bit length); bigger ones go through `ws` without a copy. */
export const MAX_FRAMED_PAYLOAD = 0xffff;

/** The whole frame of `payload` (at most {@link MAX_FRAMED_PAYLOAD} bytes). */
export function encodeBinaryFrame(payload: Uint8Array): Buffer {
  const length = payload.length;
  if (length > MAX_FRAMED_PAYLOAD) throw new RangeError(`payload of ${length} bytes is framed by ws`);
  const header = length < 126 ? 2 : 4;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FIN_BINARY;
  if (length < 126) {
    frame[1] = length;
  } else {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  }
  frame.set(payload, header);
  return frame;
}
