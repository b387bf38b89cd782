/**
 * Client figures: how long `npm run web` takes to be ready (first run seeds the demo organisation
 * and its certificates; a second run reuses the data folder), the round trip of one call over the
 * web host's WebSocket bridge, a login through the bridge (dominated by the server's scrypt), and
 * the size of the built renderer. Last line: JSON.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { startEmbeddedServer } from '../src/main/webHost/embeddedServer';
import { startWebHost, type WebHost } from '../src/main/webHost/webHost';

const builtRenderer = resolve('out/renderer');
const root = mkdtempSync(join(tmpdir(), 'xietong-client-bench-'));

function rendererDir(): string {
  if (existsSync(join(builtRenderer, 'index.html'))) return builtRenderer;
  const dir = join(root, 'renderer');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>bench</title>');
  return dir;
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await run();
  return [value, performance.now() - start];
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (ms: number): number => Math.round(ms * 100) / 100;

class Bridge {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { id?: number; result?: unknown };
      if (typeof message.id === 'number') this.waiting.get(message.id)?.(message.result);
    });
  }
  static async open(host: WebHost): Promise<Bridge> {
    const socket = new WebSocket(`${host.url.replace('http:', 'ws:')}/bridge`, { origin: host.url });
    await new Promise((resolveOpen, reject) => {
      socket.once('open', resolveOpen);
      socket.once('error', reject);
    });
    return new Bridge(socket);
  }
  call(channel: string, input: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolveCall) => {
      this.waiting.set(id, (result) => {
        this.waiting.delete(id);
        resolveCall(result);
      });
      this.socket.send(JSON.stringify({ id, channel, input }));
    });
  }
  close(): void {
    this.socket.close();
  }
}

async function main(): Promise<void> {
  const dataDir = join(root, 'data');
  const options = { dataDir, rendererDir: rendererDir(), port: 0, startEmbeddedServer };

  const [first, firstStartMs] = await timed(() => startWebHost(options));
  await first.close();
  const [host, secondStartMs] = await timed(() => startWebHost(options));

  const bridge = await Bridge.open(host);
  const calls = 2_000;
  const roundTrips: number[] = [];
  for (let i = 0; i < 100; i += 1) await bridge.call('session:connection', {});
  for (let i = 0; i < calls; i += 1) {
    const [, ms] = await timed(() => bridge.call('session:connection', {}));
    roundTrips.push(ms);
  }
  roundTrips.sort((a, b) => a - b);

  const logins: number[] = [];
  for (let i = 0; i < 10; i += 1) {
    const [result, ms] = await timed(() => bridge.call('session:login', { username: 'li', password: 'demo1234' }));
    if (!(result as { ok?: boolean }).ok) throw new Error(`login failed: ${JSON.stringify(result)}`);
    logins.push(ms);
  }
  logins.sort((a, b) => a - b);
  bridge.close();
  await host.close();

  let rendererJsBytes = 0;
  let rendererJsGzipBytes = 0;
  let rendererCssBytes = 0;
  if (existsSync(join(builtRenderer, 'assets'))) {
    for (const name of readdirSync(join(builtRenderer, 'assets'))) {
      const file = join(builtRenderer, 'assets', name);
      if (name.endsWith('.js')) {
        rendererJsBytes += statSync(file).size;
        rendererJsGzipBytes += gzipSync(readFileSync(file)).length;
      } else if (name.endsWith('.css')) rendererCssBytes += statSync(file).size;
    }
  }

  const result = {
    webHostFirstStartMs: Math.round(firstStartMs),
    webHostRestartMs: Math.round(secondStartMs),
    bridgeRoundTripP50Us: Math.round(percentile(roundTrips, 50) * 1000),
    bridgeRoundTripP95Us: Math.round(percentile(roundTrips, 95) * 1000),
    bridgeRoundTripP99Us: Math.round(percentile(roundTrips, 99) * 1000),
    bridgeCallsPerSecond: Math.round(calls / (roundTrips.reduce((sum, ms) => sum + ms, 0) / 1000)),
    loginThroughBridgeP50Ms: round(percentile(logins, 50)),
    rendererJsBytes,
    rendererJsGzipBytes,
    rendererCssBytes,
  };
  console.log(`web host ready: first run ${result.webHostFirstStartMs} ms (demo seed + certificates), restart ${result.webHostRestartMs} ms`);
  console.log(`bridge call round trip: p50 ${result.bridgeRoundTripP50Us} µs, p95 ${result.bridgeRoundTripP95Us} µs, p99 ${result.bridgeRoundTripP99Us} µs (${result.bridgeCallsPerSecond} calls/s one at a time)`);
  console.log(`login through the bridge: p50 ${result.loginThroughBridgeP50Ms} ms`);
  console.log(`renderer: ${rendererJsBytes} B JS (${rendererJsGzipBytes} B gzip), ${rendererCssBytes} B CSS`);
  console.log(JSON.stringify(result));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
