/**
 * HTML from Word or WPS (the clipboard's text/html, or mammoth's conversion of a .docx) as the
 * body's blocks. Keeps what an official document is made of — headings, paragraphs, bold, lists,
 * tables, page breaks, 附件说明 — and drops everything else: fonts, colours, sizes, `mso-*` classes
 * and styles, Word's list-number spans, comments, images. Nothing of the foreign HTML reaches the
 * editor: it receives blocks, and builds its own nodes from them.
 *
 * Headings: <h1>–<h4> (Word's 标题 1–4 styles) keep their level, and a paragraph that starts with
 * a GB/T 9704 number (一、 （一） 1. （1）) becomes a heading of that level; either way the typed
 * number is removed — the editor numbers headings from their position.
 */
import type { BodyBlock, HeadingLevel, InlineRun } from '../../../shared/domain/documents';

const numberPatterns: Array<[HeadingLevel, RegExp]> = [
  [1, /^[一二三四五六七八九十百零]+、\s*/],
  [2, /^[（(][一二三四五六七八九十百零]+[）)]\s*/],
  [3, /^\d+[.．](?!\d)\s*/],
  [4, /^[（(]\d+[）)]\s*/],
];

/** The level of a GB/T 9704 number at the start of `text`, and the text without it. */
export function headingPrefix(text: string): { level: HeadingLevel; rest: string } | undefined {
  for (const [level, pattern] of numberPatterns) {
    const match = pattern.exec(text);
    if (match && text.length > match[0].length) return { level, rest: text.slice(match[0].length) };
  }
  return undefined;
}

const skipped = new Set(['style', 'script', 'meta', 'link', 'title', 'head', 'xml', 'img', 'svg', 'object', 'iframe', 'template', 'o:p']);

const isBoldStyle = (el: Element): boolean => {
  const weight = /font-weight\s*:\s*([a-z0-9]+)/i.exec(el.getAttribute('style') ?? '')?.[1];
  return weight !== undefined && (weight === 'bold' || weight === 'bolder' || Number(weight) >= 600);
};

const isPageBreak = (el: Element): boolean =>
  (el.tagName.toLowerCase() === 'br' && /page-break-(before|after)\s*:\s*always|break-(before|after)\s*:\s*page/i.test(el.getAttribute('style') ?? '')) ||
  (el.tagName.toLowerCase() === 'hr' && (el.hasAttribute('data-page-break') || el.classList.contains('page-break')));

/** Word's own list numbers (`mso-list:Ignore`) and hidden text are not the text. */
const isIgnoredSpan = (el: Element): boolean => {
  const style = el.getAttribute('style') ?? '';
  return /mso-list\s*:\s*ignore/i.test(style) || /display\s*:\s*none/i.test(style) || /mso-hide\s*:\s*all/i.test(style);
};

function collapse(text: string): string {
  // Non-breaking spaces and runs of white space (HTML source line breaks) read as one space.
  return text.replace(/[\s\u00a0]+/g, ' ');
}

/** The inline runs of an element: text, with bold where <b>, <strong> or font-weight says so. */
function inlineRuns(el: Element, bold = false): InlineRun[] {
  const runs: InlineRun[] = [];
  const push = (text: string, b: boolean) => {
    if (text.length === 0) return;
    const last = runs[runs.length - 1];
    if (last && !!last.bold === b) runs[runs.length - 1] = { ...last, text: last.text + text };
    else runs.push(b ? { text, bold: true } : { text });
  };
  const walk = (node: Node, b: boolean) => {
    if (node.nodeType === 3) push(collapse(node.textContent ?? ''), b);
    else if (node.nodeType === 1) {
      const child = node as Element;
      const tag = child.tagName.toLowerCase();
      if (skipped.has(tag) || isIgnoredSpan(child)) return;
      if (tag === 'br') push('\n', false);
      else {
        const nextBold = b || tag === 'b' || tag === 'strong' || isBoldStyle(child);
        // An explicit font-weight:normal inside bold text ends the bold.
        const normal = /font-weight\s*:\s*(normal|[1-5]00)\b/i.test(child.getAttribute('style') ?? '');
        child.childNodes.forEach((c) => walk(c, normal ? false : nextBold));
      }
    }
  };
  el.childNodes.forEach((c) => walk(c, bold));
  return trim(runs);
}

function trim(runs: InlineRun[]): InlineRun[] {
  const out = runs.map((r) => ({ ...r, text: r.text.replace(/ *\n */g, '\n') }));
  if (out[0]) out[0] = { ...out[0], text: out[0].text.replace(/^[\s]+/, '') };
  const last = out.length - 1;
  if (out[last]) out[last] = { ...out[last], text: out[last].text.replace(/[\s]+$/, '') };
  return out.filter((r) => r.text.length > 0);
}

const inlineTags = new Set(['span', 'a', 'b', 'strong', 'i', 'em', 'u', 'font', 'sub', 'sup', 'small', 'big', 's', 'strike', 'mark', 'code', 'br']);
const blockSelector = 'p, h1, h2, h3, h4, h5, h6, ul, ol, li, table, div, hr, section, article, blockquote';

const text = (runs: readonly InlineRun[]) => runs.map((r) => r.text).join('');

/** Removes `count` characters from the start of runs. */
function dropPrefix(runs: readonly InlineRun[], count: number): InlineRun[] {
  let left = count;
  const out: InlineRun[] = [];
  for (const run of runs) {
    const chars = [...run.text];
    if (left >= chars.length) {
      left -= chars.length;
      continue;
    }
    out.push({ ...run, text: chars.slice(left).join('') });
    left = 0;
  }
  return trim(out);
}

const attachmentLabel = /^附件[：:]\s*/;
const attachmentNumber = /^\d+[.．]\s*/;

/** Cells of a table element (its own rows, not those of a table nested in a cell). */
function tableRows(table: Element): string[][] {
  const rows: string[][] = [];
  const walk = (el: Element) => {
    for (const child of Array.from(el.children)) {
      const tag = child.tagName.toLowerCase();
      if (tag === 'tr') {
        const cells = Array.from(child.children).filter((c) => /^(td|th)$/i.test(c.tagName));
        rows.push(
          cells.map((cell) => {
            const paragraphs = Array.from(cell.querySelectorAll('p, h1, h2, h3, h4, h5, h6, li'));
            const parts = paragraphs.length > 0 ? paragraphs.map((p) => text(inlineRuns(p))) : [text(inlineRuns(cell))];
            return parts
              .map((p) => p.trim())
              .filter((p) => p.length > 0)
              .join('\n');
          }),
        );
      } else if (/^(thead|tbody|tfoot)$/.test(tag)) walk(child);
    }
  };
  walk(table);
  return rows.filter((r) => r.length > 0);
}

/** Word's clipboard list paragraph: `mso-list` in its style, its number in an ignored span. */
function wordListItem(el: Element): { ordered: boolean } | undefined {
  const style = el.getAttribute('style') ?? '';
  const marker = Array.from(el.querySelectorAll('span')).find(isIgnoredSpan)?.textContent?.trim() ?? '';
  if (!/mso-list\s*:\s*l\d/i.test(style) && !(/MsoListParagraph/i.test(el.getAttribute('class') ?? '') && marker !== '')) return undefined;
  return { ordered: /[0-9一二三四五六七八九十a-zA-Z]/.test(marker) };
}

/** Blocks of an HTML fragment (a whole document or a clipboard fragment). */
export function htmlToBodyBlocks(html: string): BodyBlock[] {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const blocks: BodyBlock[] = [];
  let inAttachments = false;
  const pushParagraph = (runs: InlineRun[], attachmentStyled: boolean) => {
    const t = text(runs);
    if (t.trim().length === 0) return;
    // 附件说明: "附件：1．名称" starts it, the following "2．名称" lines go on with it.
    if (attachmentStyled || attachmentLabel.test(t) || (inAttachments && attachmentNumber.test(t))) {
      let rest = runs;
      const label = attachmentLabel.exec(text(rest));
      if (label) rest = dropPrefix(rest, [...label[0]].length);
      const number = attachmentNumber.exec(text(rest));
      if (number) rest = dropPrefix(rest, [...number[0]].length);
      if (text(rest).trim()) blocks.push({ kind: 'attachmentNote', runs: rest });
      inAttachments = true;
      return;
    }
    inAttachments = false;
    const heading = t.includes('\n') ? undefined : headingPrefix(t);
    if (heading) blocks.push({ kind: 'heading', level: heading.level, runs: dropPrefix(runs, [...t].length - [...heading.rest].length) });
    else blocks.push({ kind: 'paragraph', runs });
  };
  const pushListItem = (ordered: boolean, runs: InlineRun[]) => {
    inAttachments = false;
    const last = blocks[blocks.length - 1];
    if (last && last.kind === 'list' && last.ordered === ordered) last.items.push(runs);
    else blocks.push({ kind: 'list', ordered, items: [runs] });
  };
  const visit = (el: Element) => {
    // Inline content standing between blocks (a fragment without <p>) gathers into one paragraph.
    let pending: Node[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      const holder = doc.createElement('p');
      for (const n of pending) holder.appendChild(n.cloneNode(true));
      pending = [];
      pushParagraph(inlineRuns(holder), false);
    };
    for (const node of Array.from(el.childNodes)) {
      if (node.nodeType === 3) {
        pending.push(node);
        continue;
      }
      if (node.nodeType !== 1) continue;
      const child = node as Element;
      const tag = child.tagName.toLowerCase();
      if (skipped.has(tag)) continue;
      if (isPageBreak(child)) {
        flush();
        blocks.push({ kind: 'pageBreak' });
        inAttachments = false;
        continue;
      }
      const breaksPage = Array.from(child.querySelectorAll('br, hr')).some(isPageBreak);
      if (inlineTags.has(tag) && child.querySelector(blockSelector) === null) {
        if (!breaksPage) {
          pending.push(child);
          continue;
        }
        // Word wraps its page break in a span between paragraphs: the text before it, then the break.
        pending.push(child);
        flush();
        blocks.push({ kind: 'pageBreak' });
        inAttachments = false;
        continue;
      }
      flush();
      // The document's title, 主送机关, 版头 and 落款 (our own export marks them) are fields, not the body.
      if (child.classList.contains('doc-title') || child.classList.contains('doc-recipients') || child.classList.contains('doc-frame')) continue;
      const heading = /^h([1-6])$/.exec(tag);
      if (heading) {
        const runs = inlineRuns(child);
        const t = text(runs);
        if (!t.trim()) continue;
        inAttachments = false;
        const typed = headingPrefix(t);
        const level = Math.min(4, Number(heading[1])) as HeadingLevel;
        blocks.push({ kind: 'heading', level, runs: typed ? dropPrefix(runs, [...t].length - [...typed.rest].length) : runs });
      } else if (tag === 'p') {
        // A Word page break as a paragraph of its own (<br style="page-break-before:always">).
        const list = wordListItem(child);
        if (list) pushListItem(list.ordered, inlineRuns(child));
        else pushParagraph(inlineRuns(child), child.classList.contains('attachment-note') || child.hasAttribute('data-attachment-note'));
        // A page break inside the paragraph (Word's <br style="page-break-before:always">) follows its text.
        if (breaksPage) {
          blocks.push({ kind: 'pageBreak' });
          inAttachments = false;
        }
      } else if (tag === 'ul' || tag === 'ol') {
        const ordered = tag === 'ol';
        for (const li of Array.from(child.querySelectorAll('li'))) {
          // A nested list's items come as items of their own (GB/T 9704 has no nesting).
          const clone = li.cloneNode(true) as Element;
          clone.querySelectorAll('ul, ol').forEach((n) => n.remove());
          const runs = inlineRuns(clone);
          if (text(runs).trim()) pushListItem(ordered, runs);
        }
      } else if (tag === 'table') {
        inAttachments = false;
        const rows = tableRows(child);
        if (rows.length > 0) blocks.push({ kind: 'table', rows });
      } else if (tag === 'br' || tag === 'hr') {
        continue;
      } else if (child.querySelector(blockSelector) !== null) {
        // A container (div, section, Word's WordSection1, an inline element wrapping blocks): walk in.
        visit(child);
      } else {
        pushParagraph(inlineRuns(child), false);
      }
    }
    flush();
  };
  visit(doc.body);
  return blocks;
}
