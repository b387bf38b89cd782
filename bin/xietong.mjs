#!/usr/bin/env node
// The `xietong` command. `npm ci` builds dist/ in its prepare step.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
if (!existsSync(built)) {
  console.error('xietong: not built yet — run `npm run build:node` (npm ci does this) and try again');
  process.exit(1);
}
const { main } = await import(built);
process.exitCode = await main(process.argv.slice(2));
