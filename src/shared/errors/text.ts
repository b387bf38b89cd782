/**
 * Errors cross every boundary (server → main → renderer) as a key with parameters, beside the zh-CN
 * `message` that the CLI, logs and older clients read. The renderer words the key in the person's
 * language; the catalogue (catalogue.ts) holds both wordings, so there is one source of truth.
 */
import { z } from 'zod';
import { errorCatalogue } from './catalogue';

export type ErrorKey = keyof typeof errorCatalogue;
export type ErrorLanguage = 'zh-CN' | 'en';

/** A parameter's value: what the wording shows in place of `{name}` (names, titles, counts). */
export const ErrorParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type ErrorParams = z.infer<typeof ErrorParamsSchema>;

/** The optional key/params an error carries on the wire; old peers send neither. */
export const ErrorTextFieldsSchema = z.object({
  key: z.string().min(1).max(100).optional(),
  params: ErrorParamsSchema.optional(),
});

/** An error's or a problem's text on the wire: the zh-CN message, and the key and params when known. */
export const ErrorTextSchema = z.object({ message: z.string(), ...ErrorTextFieldsSchema.shape });

/** An error's text: the zh-CN message always, the catalogue key and its parameters when known. */
export interface ErrorText {
  readonly message: string;
  readonly key?: string;
  readonly params?: ErrorParams;
}

/** The names of the `{placeholders}` in a wording, as a union of string literal types. */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;
type ParamsOf<K extends ErrorKey> = { readonly [P in Placeholders<(typeof errorCatalogue)[K]['zh']>]: string | number };
/** The parameters argument: required exactly when the wording has placeholders. */
type ParamsArg<K extends ErrorKey> = [Placeholders<(typeof errorCatalogue)[K]['zh']>] extends [never] ? [] : [params: ParamsOf<K>];

export const isErrorKey = (key: unknown): key is ErrorKey => typeof key === 'string' && Object.hasOwn(errorCatalogue, key);

/**
 * Fills `{name}` placeholders; a missing parameter stays visible as `{name}` rather than vanishing. A
 * parameter may itself be an error kept with `encodeReason` (保存修改失败：{reason} around a keyed
 * failure): it is worded in the same language, so the inner error is not left in Chinese.
 */
export function fillPlaceholders(template: string, params: ErrorParams | undefined, language: ErrorLanguage = 'zh-CN'): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params?.[name];
    if (value === undefined) return whole;
    return isEncodedReason(value) ? wordError(decodeReason(value), language) : String(value);
  });
}

/** The error text for a catalogue key: what services and routes throw instead of a Chinese literal. */
export function errorText<K extends ErrorKey>(key: K, ...[params]: ParamsArg<K>): ErrorText {
  const p = params as ErrorParams | undefined;
  return p ? { key, params: { ...p }, message: fillPlaceholders(errorCatalogue[key].zh, p) } : { key, message: errorCatalogue[key].zh };
}

/** The key of every wording without parameters, by its zh-CN words (the first key, where two share them). */
const keysOfPlainWordings = new Map<string, ErrorKey>();
for (const [key, entry] of Object.entries(errorCatalogue) as [ErrorKey, { zh: string }][]) {
  if (!entry.zh.includes('{') && !keysOfPlainWordings.has(entry.zh)) keysOfPlainWordings.set(entry.zh, key);
}

/**
 * A message that is word for word a catalogue wording (a zod contract's own message, written as
 * `errorCatalogue[key].zh`) as that key's text; any other message as it is.
 */
export function textOfWording(message: string): ErrorText {
  const key = keysOfPlainWordings.get(message);
  return key ? { key, message } : { message };
}

/** A plain message (from a peer or a library) or a keyed text, as one ErrorText. */
export const asErrorText = (text: string | ErrorText): ErrorText => (typeof text === 'string' ? { message: text } : text);

/**
 * An Error that carries its text's catalogue key and params, so whoever catches it (`errorTextOf`, a
 * route, the IPC dispatcher) passes them on and the renderer words it; `message` is the zh-CN text.
 * The errors of each service extend it rather than repeating these fields.
 */
export class KeyedError extends Error implements ErrorText {
  readonly key: string | undefined;
  readonly params: ErrorParams | undefined;
  constructor(text: string | ErrorText, options?: ErrorOptions) {
    const { message, key, params } = asErrorText(text);
    super(message, options);
    this.key = key;
    this.params = params;
  }
}

/** The text of anything thrown: an Error's message with its key and params when it carries them (ApiFailure and the like). */
export function errorTextOf(error: unknown): ErrorText {
  if (!(error instanceof Error)) return { message: String(error) };
  const { key, params } = error as Partial<ErrorText>;
  const parsed = ErrorTextFieldsSchema.safeParse({ key, params });
  return parsed.success ? { message: error.message, ...keyFields({ message: error.message, ...parsed.data }) } : { message: error.message };
}

/**
 * A validation message (a zod issue in an IPC contract) that keeps its catalogue key: the dispatcher
 * sends it keyed, so the renderer words it like any error; its zh-CN message reads as before.
 */
export function issueMessage<K extends ErrorKey>(key: K, ...params: ParamsArg<K>): string {
  return encodeReason(errorText(key, ...params));
}

/** Only the key and params of a text (for spreading into an error body), without undefined fields. */
export function keyFields(text: ErrorText): { key?: string; params?: ErrorParams } {
  const fields: { key?: string; params?: ErrorParams } = {};
  if (text.key !== undefined) fields.key = text.key;
  if (text.params !== undefined) fields.params = text.params;
  return fields;
}

/**
 * The text of an error in a language: the catalogue's wording when the key is known, else the
 * message as it came (an older server, or a failure no key describes).
 */
export function wordError(text: ErrorText, language: ErrorLanguage): string {
  if (!isErrorKey(text.key)) return text.message;
  const entry = errorCatalogue[text.key];
  return fillPlaceholders(language === 'en' ? entry.en : entry.zh, text.params, language);
}

/**
 * A refusal kept as one text column (the replica's outbox reason): the zh-CN message, then, when the
 * text has a key, a NUL and its key and params as JSON. A reason written before keys existed is
 * just its message and decodes as such.
 */
const reasonSeparator = '\u0000';

/** Whether a parameter's value is an error kept by `encodeReason` with its key. */
export const isEncodedReason = (value: unknown): value is string => typeof value === 'string' && value.includes(reasonSeparator);

export function encodeReason(text: ErrorText): string {
  return text.key === undefined ? text.message : `${text.message}${reasonSeparator}${JSON.stringify(keyFields(text))}`;
}

export function decodeReason(stored: string): ErrorText {
  const at = stored.indexOf(reasonSeparator);
  if (at < 0) return { message: stored };
  const message = stored.slice(0, at);
  let json: unknown;
  try {
    json = JSON.parse(stored.slice(at + 1));
  } catch {
    return { message };
  }
  const fields = ErrorTextFieldsSchema.safeParse(json);
  return fields.success ? { message, ...keyFields({ message, ...fields.data }) } : { message };
}
