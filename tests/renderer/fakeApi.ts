/**
 * An in-memory XietongApi for component tests: each call answers with what the test scripted, and
 * events are pushed by the test. It stands where the preload or the WebSocket bridge stands.
 */
import type { ApiEvents, EventPayloadOf, Result, Session, XietongApi } from '../../src/shared/api';

type Listener = (payload: never) => void;

export interface FakeApi {
  api: XietongApi;
  calls: { channel: string; input: unknown }[];
  emit<K extends keyof ApiEvents>(event: K, payload: EventPayloadOf<ApiEvents, K>): void;
  loginAnswers: Result<Session>[];
  passwordAnswers: Result<Session>[];
  current: Session | null;
}

export const liSession: Session = {
  user: { id: 'u-li', username: 'li', name: '李文', unitId: 'unit-gov', unitName: '市政府办公室', roles: ['staff'] },
  serverUrl: 'http://127.0.0.1:8787',
  mustChangePassword: false,
};

export function createFakeApi(initial: { current?: Session | null; connection?: 'online' | 'offline' } = {}): FakeApi {
  const listeners = new Map<string, Set<Listener>>();
  const fake: FakeApi = {
    calls: [],
    loginAnswers: [],
    passwordAnswers: [],
    current: initial.current ?? null,
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: typeof payload) => void)(payload);
    },
    api: undefined as unknown as XietongApi,
  };
  const record = (channel: string, input: unknown): void => {
    fake.calls.push({ channel, input });
  };
  // Only what the shell's components call; other domains' components bring their own fakes.
  const api: Pick<XietongApi, 'session' | 'diagnostics' | 'on'> = {
    session: {
      login: (input) => {
        record('session:login', input);
        const answer = fake.loginAnswers.shift() ?? { ok: false, error: { code: 'internal', message: 'no scripted answer' } };
        if (answer.ok) fake.current = answer.value;
        return Promise.resolve(answer);
      },
      changePassword: (input) => {
        record('session:change-password', input);
        const answer = fake.passwordAnswers.shift() ?? { ok: false, error: { code: 'internal', message: 'no scripted answer' } };
        if (answer.ok) fake.current = answer.value;
        return Promise.resolve(answer);
      },
      logout: (input) => {
        record('session:logout', input);
        fake.current = null;
        return Promise.resolve({ ok: true as const, value: {} });
      },
      current: (input) => {
        record('session:current', input);
        return Promise.resolve({ ok: true as const, value: fake.current });
      },
      connection: (input) => {
        record('session:connection', input);
        return Promise.resolve({ ok: true as const, value: { state: initial.connection ?? 'online' } });
      },
    },
    diagnostics: {
      about: (input) => {
        record('diagnostics:about', input);
        return Promise.resolve({ ok: true as const, value: { appVersion: '0.1.0', nodeVersion: 'v20.20.2', platform: 'linux', arch: 'x64', serverUrl: 'http://127.0.0.1:8787' } });
      },
      export: (input) => {
        record('diagnostics:export', input);
        return Promise.resolve({
          ok: true as const,
          value: { path: '/home/li/.xietong/diagnostics/xietong-diagnostics.zip', fileName: 'xietong-diagnostics.zip', sizeBytes: 20480, entries: ['about.json', 'logs/main.log'] },
        });
      },
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
  // Domains this fake does not script (documents, sealing, … as features land) answer every call
  // with `unavailable`, the way the real bridge answers when a service cannot be reached: the
  // shell's tests stay about the shell, whatever the sections show.
  fake.api = new Proxy(api as XietongApi, {
    get(target, property, receiver) {
      if (typeof property !== 'string' || property in target) return Reflect.get(target, property, receiver) as unknown;
      return new Proxy(
        {},
        {
          get: (_group, name) => (input: unknown) => {
            record(`${property}:${String(name)}`, input);
            return Promise.resolve({ ok: false, error: { code: 'unavailable', message: '测试未提供此服务' } });
          },
        },
      );
    },
  });
  return fake;
}
