/** Helpers of the messaging tests: a chat socket client that records what the server wrote. */
import { WebSocket } from 'ws';
import { ChatServerMessageSchema, type ChatClientMessageInput, type ChatServerMessage } from '../../src/shared/http/messaging';

export interface ChatClient {
  ws: WebSocket;
  /** Everything the server wrote, parsed, in arrival order. */
  received: ChatServerMessage[];
  send(message: ChatClientMessageInput): void;
  /** Resolves with the first received message (from now or earlier) that `match` accepts. */
  next<T extends ChatServerMessage>(match: (message: ChatServerMessage) => message is T, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Opens `/chat?token=` and waits for `ready`. */
export async function openChat(baseUrl: string, token: string): Promise<ChatClient> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/chat?token=${encodeURIComponent(token)}`);
  const received: ChatServerMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    received.push(ChatServerMessageSchema.parse(JSON.parse(data.toString('utf8'))));
    for (const wake of waiters) wake();
  });
  const client: ChatClient = {
    ws,
    received,
    send: (message) => ws.send(JSON.stringify(message)),
    next: <T extends ChatServerMessage>(match: (message: ChatServerMessage) => message is T, timeoutMs = 5000) =>
      new Promise<T>((resolve, reject) => {
        const check = (): void => {
          const found = received.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching chat message within ${timeoutMs} ms; got ${JSON.stringify(received.slice(-5))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
  await client.next((m): m is Extract<ChatServerMessage, { type: 'ready' }> => m.type === 'ready');
  return client;
}

/** The HTTP status of a refused `/chat` upgrade (or 101 when it was accepted). */
export function upgradeStatus(baseUrl: string, query: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/chat${query}`);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}

export const isType =
  <K extends ChatServerMessage['type']>(type: K, where: (message: Extract<ChatServerMessage, { type: K }>) => boolean = () => true) =>
  (message: ChatServerMessage): message is Extract<ChatServerMessage, { type: K }> =>
    message.type === type && where(message as Extract<ChatServerMessage, { type: K }>);
