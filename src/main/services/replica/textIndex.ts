/**
 * Text normalisation and query building for the replica's full-text indexes.
 *
 * Chinese has no spaces between words, so no word tokenizer applies. Two indexes cover it:
 * FTS5's trigram tokenizer matches any substring of 3+ characters; for 2-character words — the
 * most common Chinese search (通知, 会议, 请示) — a second index stores every overlapping pair of
 * letters/digits as its own token ("关于召开" → "关于 于召 召开"), so a pair is one token lookup.
 */

const wordRun = /[\p{L}\p{N}]+/gu;

/** NFKC folds full-width digits and letters (２０２４ → 2024) the way people expect search to. */
export const normalizeText = (text: string): string => text.normalize('NFKC').toLowerCase();

/** Every overlapping pair of letters/digits in `text`, space-separated (a 1-character run stays as is). */
export function bigramTokens(text: string): string {
  const out: string[] = [];
  for (const match of normalizeText(text).matchAll(wordRun)) {
    const chars = Array.from(match[0]);
    if (chars.length === 1) {
      out.push(chars[0]!);
      continue;
    }
    for (let i = 0; i + 1 < chars.length; i += 1) out.push(chars[i]! + chars[i + 1]!);
  }
  return out.join(' ');
}

/** How one search term is answered. */
export type TermPlan =
  | { readonly index: 'trigram'; readonly match: string }
  | { readonly index: 'bigram'; readonly match: string }
  | { readonly index: 'like'; readonly pattern: string };

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;
const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Splits a query into terms (whitespace-separated; all must match) and picks an index for each:
 * 3+ characters → trigram phrase; exactly 2 letters/digits → bigram token; anything shorter or a
 * 2-character term with punctuation → a LIKE pattern over titles and document numbers.
 */
export function planQuery(query: string): TermPlan[] {
  const terms = normalizeText(query)
    .split(/\s+/u)
    .filter((term) => term.length > 0)
    .slice(0, 8);
  return terms.map((term): TermPlan => {
    const length = Array.from(term).length;
    if (length >= 3) return { index: 'trigram', match: quote(term) };
    if (length === 2 && /^[\p{L}\p{N}]{2}$/u.test(term)) return { index: 'bigram', match: quote(term) };
    return { index: 'like', pattern: `%${likeEscape(term)}%` };
  });
}

/** A short excerpt of `text` around the first occurrence of any term, for result lists. */
export function snippetOf(text: string, query: string, radius = 24): string {
  const folded = normalizeText(text);
  const terms = normalizeText(query).split(/\s+/u).filter(Boolean);
  let at = -1;
  for (const term of terms) {
    const found = folded.indexOf(term);
    if (found >= 0 && (at < 0 || found < at)) at = found;
  }
  if (at < 0) return text.slice(0, radius * 2);
  const start = Math.max(0, at - radius);
  const end = Math.min(text.length, at + radius * 2);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
