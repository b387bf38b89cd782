/**
 * `npx xietong <command> …` — the sync server, the CA and signing tools and the admin tools
 * (INTERFACES.md). Commands load lazily so `xietong verify` does not pay for the server's modules.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CliError, type CliCommand } from './command';

/**
 * Each command's one-line summary lives here, beside its loader, so `xietong --help` prints them
 * without loading any command's code (the build splits each command into its own chunk).
 */
const commands: Record<string, { readonly summary: string; readonly load: () => Promise<CliCommand> }> = {
  ca: { summary: 'organisation CA: init, issue (PKCS#12), revoke, crl', load: async () => (await import('./commands/ca')).default },
  sign: {
    summary: 'sign a PDF (PAdES, incremental update), optionally with a visible seal',
    load: async () => (await import('./commands/sign')).default,
  },
  'batch-sign': { summary: 'sign many PDFs with one password or PIN entry', load: async () => (await import('./commands/batchSign')).default },
  verify: {
    summary: 'verify every signature of a PDF against trusted roots (and CRLs)',
    load: async () => (await import('./commands/verify')).default,
  },
  server: {
    summary: 'run the sync server (--port 8787 --host 127.0.0.1 --data DIR --demo --postgres URL --redis URL)',
    load: async () => (await import('./commands/server')).default,
  },
  admin: {
    summary: 'administer a server store: import CSV, list people, reset passwords, disable accounts, back up, restore',
    load: async () => (await import('./commands/admin')).default,
  },
  deployment: {
    summary: 'check a deployment.json the way the desktop app will read it (check [FILE] | sample)',
    load: async () => (await import('../main/services/deployment/command')).default,
  },
};

const usage = (): string =>
  ['usage: xietong <command> [options]', '', 'commands:', ...Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(12)} ${summary}`)].join('\n');

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`xietong: unknown command "${name}" (try xietong --help)`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
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
