/**
 * Sends outbox commands to the sync server over HTTP (INTERFACES.md). Each request carries the
 * command's clientId, so a command sent again after a crash or a lost response is applied once.
 */
import { serverReasonText, type OutboxCommand } from '../../../shared/api/offline.contract';
import { encodeReason, errorText } from '../../../shared/errors';
import type { CommandTransport, SendOutcome } from './transport';

export interface HttpTransportOptions {
  /** e.g. `http://127.0.0.1:8787` */
  readonly serverUrl: string;
  /** The current session token, or null when signed out. */
  readonly getToken: () => string | null;
  /** The bytes of a blob in the replica (signed PDFs, 语音签批 recordings, attachments). */
  readonly readBlob: (sha256: string) => Promise<Uint8Array | null>;
  /** Give up on one request after this long (default 15 s): a hung connection must not stall the queue. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

interface Request {
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly body: string | Uint8Array<ArrayBuffer>;
  readonly contentType: string;
}

const seg = encodeURIComponent;

async function requestFor(clientId: string, command: OutboxCommand, readBlob: HttpTransportOptions['readBlob']): Promise<Request | string> {
  switch (command.type) {
    case 'document.create':
      // The id the client chose travels with the fields: a repeat finds the document already there.
      return { method: 'POST', path: '/api/documents', body: JSON.stringify({ ...command.fields, kind: command.kind, id: command.documentId, clientId }), contentType: 'application/json' };
    case 'document.action': {
      const { documentId, type: _type, ...rest } = command;
      return { method: 'POST', path: `/api/documents/${seg(documentId)}/actions`, body: JSON.stringify({ ...rest, clientId }), contentType: 'application/json' };
    }
    case 'exchange.action': {
      const { exchangeId, type: _type, ...rest } = command;
      return { method: 'POST', path: `/api/exchange/${seg(exchangeId)}/actions`, body: JSON.stringify({ ...rest, clientId }), contentType: 'application/json' };
    }
    case 'message.send':
      return {
        method: 'POST',
        path: `/api/conversations/${seg(command.conversation)}/messages`,
        // The server applies a repeated transaction id once (the clientId stays for older servers' logs).
        body: JSON.stringify({ txnId: clientId, clientId, content: command.content ?? { type: 'text', text: command.text, mentions: [] } }),
        contentType: 'application/json',
      };
    case 'document.signedPdf': {
      const pdf = await readBlob(command.pdfSha256);
      if (!pdf) return encodeReason(errorText('outbox.signedPdfMissing'));
      return { method: 'PUT', path: `/api/documents/${seg(command.documentId)}/pdf`, body: pdf.slice(), contentType: 'application/pdf' };
    }
    case 'document.voice': {
      const audio = await readBlob(command.sha256);
      if (!audio) return encodeReason(errorText('outbox.voiceMissing'));
      return { method: 'PUT', path: `/api/documents/${seg(command.documentId)}/voice/${command.sha256}`, body: audio.slice(), contentType: command.mimeType };
    }
    case 'document.attachment': {
      const file = await readBlob(command.sha256);
      if (!file) return encodeReason(errorText('outbox.attachmentMissing', { name: command.name }));
      return {
        method: 'POST',
        path: `/api/documents/${seg(command.documentId)}/attachments?name=${seg(command.name)}`,
        body: file.slice(),
        contentType: 'application/octet-stream',
      };
    }
  }
}

const readJson = async (response: Response): Promise<unknown> => {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { message: text.slice(0, 500) };
  }
};

export function createHttpTransport(options: HttpTransportOptions): CommandTransport {
  const doFetch = options.fetch ?? fetch;
  const base = options.serverUrl.replace(/\/+$/, '');
  return {
    async send(clientId, command, signal): Promise<SendOutcome> {
      const token = options.getToken();
      if (!token) return { kind: 'unauthenticated', reason: encodeReason(errorText('outbox.notSignedIn')) };
      const request = await requestFor(clientId, command, options.readBlob);
      if (typeof request === 'string') return { kind: 'rejected', reason: request };
      let response: Response;
      try {
        response = await doFetch(`${base}${request.path}`, {
          method: request.method,
          headers: { authorization: `Bearer ${token}`, 'content-type': request.contentType, 'x-client-id': clientId },
          body: request.body,
          signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 15_000), ...(signal ? [signal] : [])]),
        });
      } catch (error) {
        return { kind: 'unavailable', reason: encodeReason(errorText('outbox.unreachable', { reason: error instanceof Error ? error.message : String(error) })) };
      }
      const body = await readJson(response).catch(() => null);
      if (response.ok) return { kind: 'applied', response: body };
      // Kept with its key, so the reason is worded in the person's language when shown.
      const reason = encodeReason(serverReasonText(body) ?? errorText('outbox.serverStatus', { status: response.status }));
      if (response.status === 401) return { kind: 'unauthenticated', reason };
      // Timeouts, throttling and server faults decide nothing: the command waits its turn again.
      if (response.status === 408 || response.status === 429 || response.status >= 500) return { kind: 'unavailable', reason };
      return { kind: 'rejected', reason };
    },
  };
}
