/**
 * The official document (公文) as GB/T 9704-2012 and the 2012 regulation describe it: kinds,
 * the 15 types, 密级 with 保密期限, 紧急程度, 发文字号, and the fields of 版头, 主体 and 版记.
 *
 * Pure data and zod schemas: the server stores these, the client shows them, the renderer prints them.
 */
import { z } from 'zod';
// The contract's own messages are catalogue wordings, so a refusal that quotes one carries its key.
import { errorCatalogue } from '../../errors/catalogue';

/** 发文 (we issue it) or 收文 (we received it). */
export const DocumentKindSchema = z.enum(['outgoing', 'incoming']);
export type DocumentKind = z.infer<typeof DocumentKindSchema>;
export const documentKindLabels: Record<DocumentKind, string> = { outgoing: '发文', incoming: '收文' };

/** The 15 types of 党政机关公文处理工作条例, Article 8, in the regulation's order. */
export const DocumentTypeSchema = z.enum([
  'resolution',
  'decision',
  'order',
  'communique',
  'announcement',
  'publicNotice',
  'opinion',
  'notice',
  'bulletin',
  'report',
  'request',
  'reply',
  'motion',
  'letter',
  'minutes',
]);
export type DocumentType = z.infer<typeof DocumentTypeSchema>;
export const documentTypeLabels: Record<DocumentType, string> = {
  resolution: '决议',
  decision: '决定',
  order: '命令（令）',
  communique: '公报',
  announcement: '公告',
  publicNotice: '通告',
  opinion: '意见',
  notice: '通知',
  bulletin: '通报',
  report: '报告',
  request: '请示',
  reply: '批复',
  motion: '议案',
  letter: '函',
  minutes: '纪要',
};

/** 密级: none, 秘密, 机密, 绝密 (ascending). */
export const SecrecyLevelSchema = z.enum(['none', 'secret', 'confidential', 'topSecret']);
export type SecrecyLevel = z.infer<typeof SecrecyLevelSchema>;
export const secrecyLevelLabels: Record<SecrecyLevel, string> = { none: '', secret: '秘密', confidential: '机密', topSecret: '绝密' };

/** 密级 and its 保密期限 (e.g. "1年", "长期"); a period only makes sense with a level. */
export const SecrecySchema = z
  .object({
    level: SecrecyLevelSchema,
    period: z.string().trim().min(1).max(10).optional(),
  })
  .refine((s) => s.level !== 'none' || s.period === undefined, { message: '非涉密公文不能设置保密期限' });
export type Secrecy = z.infer<typeof SecrecySchema>;

/** "秘密★1年", "机密", or "" for an open document (GB/T 9704 7.2.2). */
export function formatSecrecy(secrecy: Secrecy): string {
  const label = secrecyLevelLabels[secrecy.level];
  if (!label) return '';
  return secrecy.period ? `${label}★${secrecy.period}` : label;
}

/** 紧急程度: normal (none printed), 加急, 特急. */
export const UrgencySchema = z.enum(['normal', 'urgent', 'extraUrgent']);
export type Urgency = z.infer<typeof UrgencySchema>;
export const urgencyLabels: Record<Urgency, string> = { normal: '', urgent: '加急', extraUrgent: '特急' };

/** 发文字号: organ code + 〔year〕 + serial + 号, e.g. 某政办发〔2026〕12号. */
export const DocNumberSchema = z.object({
  organCode: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .refine((s) => !/[〔〕[\]\d]/.test(s), { message: '机关代字不能含数字或六角括号' }),
  year: z.number().int().min(1949).max(9999),
  serial: z.number().int().min(1).max(999_999),
});
export type DocNumber = z.infer<typeof DocNumberSchema>;

/** "某政办发〔2026〕12号": hexagonal brackets, no 第, no leading zeros (GB/T 9704 7.2.4). */
export function formatDocNumber(n: DocNumber): string {
  return `${n.organCode}〔${n.year}〕${n.serial}号`;
}

const docNumberPattern = /^(.+?)〔(\d{4})〕([1-9]\d*)号$/u;

/**
 * Parses a printed 发文字号. Refuses the common mistakes by name: 第, leading zeros, square or
 * round brackets instead of 〔〕, so a clerk's typo never becomes an official number.
 */
export function parseDocNumber(text: string): { ok: true; value: DocNumber } | { ok: false; reason: string } {
  const s = text.trim();
  if (/[[\]()（）【】]/.test(s) && !/〔/.test(s)) return { ok: false, reason: '年份须用六角括号〔〕括入' };
  if (/〕第/.test(s)) return { ok: false, reason: '发文字号的序号前不加“第”' };
  if (/〕0\d*号$/.test(s)) return { ok: false, reason: '发文字号的序号不编虚位（不加前导零）' };
  const m = docNumberPattern.exec(s);
  if (!m) return { ok: false, reason: '发文字号格式应为“机关代字〔年份〕序号号”' };
  const parsed = DocNumberSchema.safeParse({ organCode: m[1], year: Number(m[2]), serial: Number(m[3]) });
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]?.message ?? '发文字号无效' };
  return { ok: true, value: parsed.data };
}

/** A unit named on the document: a directory unit (id) or a free-text organ outside the directory. */
export const AddresseeSchema = z.object({
  unitId: z.string().min(1).optional(),
  name: z.string().trim().min(1).max(60),
});
export type Addressee = z.infer<typeof AddresseeSchema>;

/** An attachment: the 附件说明 line and, once uploaded, its content address. */
export const AttachmentSchema = z.object({
  name: z.string().trim().min(1).max(120),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** Days in `month` (1–12) of `year` in the Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Why `text` is not a real calendar date "YYYY-MM-DD", in words a person understands; null when it
 * is one. A pattern alone lets 2024-02-30 through, and such a date is stored and printed as it is.
 */
export function calendarDateProblem(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return `日期格式应为 YYYY-MM-DD（收到“${text.slice(0, 20)}”）`;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || year > 2999) return `日期 ${text} 的年份不在 1900–2999 之间`;
  if (month < 1 || month > 12) return `日期 ${text} 不存在：月份应为 01–12`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return `日期 ${text} 不存在：${year} 年 ${month} 月只有 ${days} 天`;
  return null;
}

/**
 * A calendar date "2026-11-22" (成文日期, 印发日期, 办理期限); printed as 2026年11月22日 with Arabic
 * numerals. Every date field of every schema uses this one, so an impossible date is refused everywhere.
 */
export const IsoDateSchema = z.string().superRefine((text, ctx) => {
  const problem = calendarDateProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const isoDateTime = z.iso.datetime({ offset: true });

/**
 * A moment "2026-11-22T18:00:00+08:00" (委托 until …): its date part must exist on the calendar, the
 * rest must be ISO 8601 with a time zone; the error says which, in Chinese.
 */
export const IsoDateTimeSchema = z.string().superRefine((text, ctx) => {
  const problem = calendarDateProblem(text.slice(0, 10));
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
  else if (!isoDateTime.safeParse(text).success) {
    ctx.addIssue({ code: 'custom', message: `时间格式应为 YYYY-MM-DDTHH:mm:ss 加时区（如 2026-11-22T18:00:00+08:00），收到“${text.slice(0, 40)}”` });
  }
});

/** "2026年11月22日" — GB/T 9704 7.3.5.1: Arabic numerals, no leading zeros. */
export function formatChineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map((p) => Number(p));
  return `${y}年${m}月${d}日`;
}

/**
 * The calendar date in China (UTC+8 all year) of an instant such as the time of 签发: the 成文日期 a
 * document carries unless one was set (GB/T 9704 7.3.5.1: the date the leader signed it off).
 */
export function chinaDateOf(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${instant}`);
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The editable fields of a document (版头, 主体, 版记). The body is plain text with one paragraph
 * per line; headings are recognised by their numbering (一、 （一） 1. （1）).
 */
export const DocumentFieldsSchema = z.object({
  type: DocumentTypeSchema.default('notice'),
  title: z.string().trim().min(1, errorCatalogue['documents.titleRequired'].zh).max(200),
  /** 发文机关 as printed in the 标志 and 署名, e.g. 某市人民政府办公室. */
  issuingOrgan: z.string().trim().max(60).default(''),
  /** 机关代字 used when the clerk numbers the document, e.g. 某政办发. */
  organCode: z.string().trim().max(20).default(''),
  /** 发文字号 — for 收文 the sender's number as printed; for 发文 assigned by the 编号 step. */
  docNumber: DocNumberSchema.optional(),
  /** 签发人 names, printed on upward documents (报告, 请示). */
  signatories: z.array(z.string().trim().min(1).max(20)).max(10).default([]),
  mainRecipients: z.array(AddresseeSchema).max(200).default([]),
  ccRecipients: z.array(AddresseeSchema).max(200).default([]),
  secrecy: SecrecySchema.default({ level: 'none' }),
  urgency: UrgencySchema.default('normal'),
  /** 份号: six digits, printed on classified documents. */
  copyNumber: z
    .string()
    .regex(/^\d{6}$/, errorCatalogue['documents.copyNumberDigits'].zh)
    .optional(),
  writtenDate: IsoDateSchema.optional(),
  body: z.string().max(200_000).default(''),
  attachments: z.array(AttachmentSchema).max(50).default([]),
  /** 附注, printed in parentheses below the date. */
  note: z.string().trim().max(500).optional(),
  /** 印发机关 and 印发日期 of the 版记. */
  printingOrgan: z.string().trim().max(60).optional(),
  printDate: IsoDateSchema.optional(),
  /** 办理期限 for the current holders; drives 催办 and the due column of 待办. */
  dueDate: IsoDateSchema.optional(),
});
export type DocumentFields = z.infer<typeof DocumentFieldsSchema>;
/** What a caller writes: every field with a default may be left out. */
export type DocumentFieldsInput = z.input<typeof DocumentFieldsSchema>;
