/**
 * Errors worded in the person's language. Services and the server send a catalogue key with
 * parameters (src/shared/errors); the i18n resources take both wordings from that one catalogue,
 * so a new error needs no edit here. An error without a known key (an older server, a library's
 * message) is shown as it came.
 */
import type { TFunction } from 'i18next';
import { decodeReason, errorCatalogue, isEncodedReason, isErrorKey, type ErrorText } from '../../shared/errors';
import { wordsInLanguage } from './terms';

type Wordings = Record<string, unknown>;

/** The catalogue as nested i18n resources under `errors`, with i18next's `{{name}}` placeholders. */
export function errorResources(language: 'zh' | 'en'): Wordings {
  const root: Wordings = {};
  for (const [key, entry] of Object.entries(errorCatalogue)) {
    const path = key.split('.');
    let node = root;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Wordings;
    node[path[path.length - 1] ?? key] = entry[language].replace(/\{(\w+)\}/g, '{{$1}}');
  }
  return root;
}

/** Parameters that name a workflow step (签发 as the step Sign-off, not the action Approve). */
const stepParams = new Set(['step', 'from', 'to', 'stateLabel']);

/** One parameter: an error inside an error (encodeReason) is worded like any error, a domain word as a term. */
function paramInLanguage(name: string, value: string | number, t: TFunction, translate: (key: string) => string): string | number {
  if (isEncodedReason(value)) return describeError(decodeReason(value), t);
  return typeof value === 'string' ? wordsInLanguage(value, translate, stepParams.has(name) ? 'state' : 'action') : value;
}

/**
 * The parameters with the domain's words in the interface language: the server words `{step}` as
 * 签发 (the message on the wire stays Chinese for the CLI and older clients), English shows Sign-off.
 */
function paramsInLanguage(params: ErrorText['params'], t: TFunction): ErrorText['params'] {
  if (!params) return params;
  const translate = (key: string): string => t(key);
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, paramInLanguage(name, value, t, translate)]),
  );
}

/** The text of an error in the interface language of `t`. */
export function describeError(error: ErrorText, t: TFunction): string {
  if (!isErrorKey(error.key)) return error.message;
  return t(`errors.${error.key}`, { ...paramsInLanguage(error.params, t), defaultValue: error.message });
}

/** The reason a refused command gave (documents:act and the like), worded like any error. */
export function describeReason(command: { reason?: string; reasonKey?: string; reasonParams?: ErrorText['params'] }, t: TFunction): string {
  const text: ErrorText = { message: command.reason ?? '', ...(command.reasonKey ? { key: command.reasonKey } : {}), ...(command.reasonParams ? { params: command.reasonParams } : {}) };
  return describeError(text, t);
}

/**
 * A check's problems in the interface language: the keyed texts when the server sent them (one per
 * problem, in order), else the Chinese list as it came from an older server.
 */
export function describeProblems(result: { problems: readonly string[]; problemTexts?: readonly ErrorText[] | undefined }, t: TFunction): string[] {
  const texts = result.problemTexts;
  if (!texts || texts.length !== result.problems.length) return [...result.problems];
  return texts.map((text) => describeError(text, t));
}
