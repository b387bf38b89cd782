/**
 * `npx xietong <command> …` — the sync server, the CA and signing tools and the admin tools
 * (INTERFACES.md). Commands load lazily so `xietong verify` does not pay for the server's modules.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CliError, type CliCommand } from './command';

const commands: Record<string, () => Promise<CliCommand>> = {
  ca: async () => (await import('./commands/ca')).default,
  sign: async () => (await import('./commands/sign')).default,
  'batch-sign': async () => (await import('./commands/batchSign')).default,
  verify: async () => (await import('./commands/verify')).default,
  server: async () => (await import('./commands/server')).default,
  admin: async () => (await import('./commands/admin')).default,
  deployment: async () => (await import('../main/services/deployment/command')).default,
};

const usage = async (): Promise<string> => {
  const lines = ['usage: xietong <command> [options]', '', 'commands:'];
  for (const [name, load] of Object.entries(commands)) lines.push(`  ${name.padEnd(12)} ${(await load()).summary}`);
  return lines.join('\n');
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`xietong: unknown command "${name}" (try xietong --help)`);
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (error) {
    // Every command fails with one clear line, never a stack trace (INTERFACES.md).
    if (error instanceof CliError) {
      console.error(`xietong ${name}: ${error.message}`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`xietong ${name}: ${message}`);
    if (process.env.XIETONG_DEBUG) console.error(error);
    return 1;
  }
}

/**
 * `node dist/cli.mjs …` runs the CLI too (bin/xietong.mjs imports this module and calls `main`
 * itself, so this fires only when the bundle is the entry script).
 */
const entryScript = process.argv[1];
if (entryScript && import.meta.url === pathToFileURL(realpathSync(entryScript)).href) {
  process.exitCode = await main(process.argv.slice(2));
}
