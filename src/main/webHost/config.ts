/**
 * The web host's settings from the environment (INTERFACES.md): XIETONG_DATA (data folder, default
 * ./.xietong-data), XIETONG_WEB_PORT (default 5173), XIETONG_SERVER_URL (use that sync server
 * instead of embedding one), XIETONG_UKEY_MODULES (the UKey drivers 批量签批 may load, `name=path`
pairs separated by `;`, as deployment.json's `ukeyModules` on a desktop). Parsed with a schema so a typo is a clear one-line error.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import type { UkeyModule } from '../../shared/deployment';

const EnvSchema = z.object({
  XIETONG_DATA: z.string().trim().min(1).optional(),
  XIETONG_WEB_PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'XIETONG_WEB_PORT 必须是 0–65535 的端口号')
    .transform(Number)
    .refine((port) => port <= 65535, 'XIETONG_WEB_PORT 必须是 0–65535 的端口号')
    .optional(),
  XIETONG_SERVER_URL: z
    .string()
    .trim()
    .refine((value) => /^https?:\/\/[^/\s]+/.test(value), 'XIETONG_SERVER_URL 必须形如 http://HOST:PORT')
    .optional(),
  XIETONG_UKEY_MODULES: z
    .string()
    .trim()
    .transform((value) => value.split(';').map((pair) => pair.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^=]+=.+$/, 'XIETONG_UKEY_MODULES 必须形如 名称=驱动库路径;名称=驱动库路径')).max(10))
    .optional(),
});

export interface WebHostConfig {
  dataDir: string;
  port: number;
  serverUrl: string | undefined;
  ukeyModules: UkeyModule[];
}

export function readWebHostConfig(env: NodeJS.ProcessEnv, cwd: string): WebHostConfig {
  const blankAsUnset = Object.fromEntries(
    ['XIETONG_DATA', 'XIETONG_WEB_PORT', 'XIETONG_SERVER_URL', 'XIETONG_UKEY_MODULES'].map((key) => [key, env[key]?.trim() ? env[key] : undefined]),
  );
  const parsed = EnvSchema.safeParse(blankAsUnset);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join('; '));
  return {
    dataDir: resolve(cwd, parsed.data.XIETONG_DATA ?? '.xietong-data'),
    port: parsed.data.XIETONG_WEB_PORT ?? 5173,
    serverUrl: parsed.data.XIETONG_SERVER_URL,
    ukeyModules: (parsed.data.XIETONG_UKEY_MODULES ?? []).map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at).trim(), path: pair.slice(at + 1).trim() };
    }),
  };
}
