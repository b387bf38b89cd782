// The web host for end-to-end tests: a fresh data folder every run, so each run starts from the
// demo organisation as seeded on first run. Playwright starts and stops this process.
import { rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const data = process.env.XIETONG_E2E_DATA ?? join(process.cwd(), '.tmp', `e2e-data-${process.env.XIETONG_WEB_PORT ?? 5199}`);
rmSync(data, { recursive: true, force: true });
mkdirSync(data, { recursive: true });
process.env.XIETONG_DATA = data;
await import('../dist/web.mjs');
