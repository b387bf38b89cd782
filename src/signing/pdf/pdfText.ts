/** Small PDF syntax helpers shared by the writer and the verifier. */

/** A PDF text string: literal for printable ASCII, otherwise UTF-16BE with a byte-order mark (ISO 32000 7.9.2.2). */
export function pdfTextString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, (char) => `\\${char}`)})`;
  const utf16 = Buffer.from(text, 'utf16le').swap16();
  return `<FEFF${utf16.toString('hex').toUpperCase()}>`;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** A PDF date string in UTC, e.g. D:20261122043000+00'00'. */
export function pdfDate(date: Date): string {
  return `D:${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}+00'00'`;
}

/** Parses a PDF date string (D:YYYYMMDDHHmmSSOHH'mm'); undefined when it is not one. */
export function parsePdfDate(text: string): Date | undefined {
  const match = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?$/.exec(text.trim());
  if (!match) return undefined;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', sign, offsetHours = '00', offsetMinutes = '00'] = match;
  let millis = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  if (sign === '+' || sign === '-') {
    const offset = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
    millis += sign === '+' ? -offset : offset;
  }
  return new Date(millis);
}

/** Millimetres to PDF points. */
export const mm = (value: number): number => (value * 72) / 25.4;

/** A number as PDF writes it: at most 3 decimals, no trailing zeros, no exponent. */
export function num(value: number): string {
  const fixed = (Math.round(value * 1000) / 1000).toFixed(3);
  return fixed.replace(/\.?0+$/, '') || '0';
}
