/**
 * What the web host remembers between runs, in `<data>/web-host.json`: the port its embedded server
 * last listened on. Reusing it keeps the server's URL stable, so a remembered session (keyed by
 * server URL) survives a restart of `npm run web`. Anything unreadable just means "nothing remembered".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const HostStateSchema = z.object({ embeddedServerPort: z.number().int().min(1).max(65535) });
export type HostState = z.infer<typeof HostStateSchema>;

const fileOf = (dataDir: string): string => join(dataDir, 'web-host.json');

export function loadHostState(dataDir: string): HostState | null {
  try {
    const parsed = HostStateSchema.safeParse(JSON.parse(readFileSync(fileOf(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveHostState(dataDir: string, state: HostState): void {
  writeFileSync(fileOf(dataDir), JSON.stringify(state));
}
