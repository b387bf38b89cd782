/**
 * One entry point for every call from the renderer, whichever transport carried it (Electron IPC
 * or the web host's WebSocket). The raw input is untrusted: it is parsed with the contract's schema
 * before any handler sees it, and every outcome — including a thrown error — comes back as data.
 */
import type { ZodError } from 'zod';
import { ApiFailure, channelsOf, fail, ok, type ContractShape, type HandlersOf, type Result } from '../../../shared/api';
import { decodeReason, errorText, isEncodedReason, type ErrorText } from '../../../shared/errors';

export interface Dispatcher {
  /** Runs the call named by `channel` with `rawInput`; never throws. */
  dispatch(channel: string, rawInput: unknown): Promise<Result<unknown>>;
  readonly channels: readonly string[];
}

export interface DispatcherOptions {
  /** Where unexpected errors go; the renderer only gets a generic message for them. */
  logError?: (channel: string, error: unknown) => void;
}

const issuePath = (issue: ZodError['issues'][number]): string => (issue.path.length > 0 ? issue.path.join('.') : '(input)');
/** An issue's zh-CN text: a keyed one (issueMessage in the contracts) reads as its message. */
const issueText = (message: string): string => (isEncodedReason(message) ? decodeReason(message).message : message);

export const describeZodError = (error: ZodError): string => error.issues.map((issue) => `${issuePath(issue)}: ${issueText(issue.message)}`).join('; ');

/**
 * Invalid input as an error text. One keyed issue (请输入证书密码) goes with its key inside, so the
 * renderer words it in the person's language; the zh-CN message reads as it always did.
 */
function invalidInput(error: ZodError): ErrorText {
  const [only] = error.issues;
  if (error.issues.length === 1 && only && isEncodedReason(only.message)) return errorText('client.invalidField', { path: issuePath(only), issue: only.message });
  return errorText('client.invalidInput', { issues: describeZodError(error) });
}

export function createDispatcher<C extends ContractShape, Ctx>(
  contract: C,
  handlers: HandlersOf<C, Ctx>,
  context: Ctx,
  options: DispatcherOptions = {},
): Dispatcher {
  const channels = channelsOf(contract);
  const table = handlers as unknown as Record<string, Record<string, (input: unknown, ctx: Ctx) => Promise<unknown>>>;

  return {
    channels: [...channels.keys()],
    async dispatch(channel, rawInput) {
      const entry = channels.get(channel);
      if (!entry) return fail('invalid_input', errorText('client.unknownCall', { channel }));
      const parsed = entry.call.input.safeParse(rawInput ?? {});
      if (!parsed.success) return fail('invalid_input', invalidInput(parsed.error));
      const handler = table[entry.domain]?.[entry.name];
      if (!handler) return fail('internal', errorText('client.notImplemented', { channel }));
      try {
        const value = await handler(parsed.data, context);
        // Validate what we send back too: a handler bug must not leak a malformed object to the UI.
        const checked = entry.call.output.safeParse(value);
        if (!checked.success) {
          options.logError?.(channel, checked.error);
          return fail('internal', errorText('client.badOutput'));
        }
        return ok(checked.data);
      } catch (error) {
        if (error instanceof ApiFailure) return fail(error.code, error);
        options.logError?.(channel, error);
        return fail('internal', errorText('client.internal'));
      }
    },
  };
}
