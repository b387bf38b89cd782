import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// End-to-end tests drive the real renderer, served by the web host, in Debian's Chromium. The web
// host embeds a sync server seeded with the demo organisation in a throw-away data folder.
const port = Number(process.env.XIETONG_E2E_PORT ?? 5199);
// Each run (port) gets its own data and output folders, so two runs on one machine never share state.
// Specs read XIETONG_E2E_DATA to find the demo certificates the web host's server created.
process.env.XIETONG_E2E_DATA ??= join(process.cwd(), '.tmp', `e2e-data-${port}`);
const data = process.env.XIETONG_E2E_DATA;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: `test-results/e2e-${port}`,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
  },
  webServer: {
    command: 'node scripts/e2e-web-host.mjs',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { XIETONG_WEB_PORT: String(port), XIETONG_E2E_DATA: data },
  },
});
