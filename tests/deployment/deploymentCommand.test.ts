/** `xietong deployment check|sample`: an administrator validates a file before rolling it out. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import command from '../../src/main/services/deployment/command';
import { parseDeploymentConfig } from '../../src/main/services/deployment';

describe('xietong deployment', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xietong-deploy-cli-'));
    out = [];
    err = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a sample that its own check accepts', async () => {
    expect(await command.run(['sample'])).toBe(0);
    const file = join(dir, 'deployment.json');
    writeFileSync(file, out.join('\n'));
    out = [];
    expect(await command.run(['check', file])).toBe(0);
    expect(out[0]).toBe(`deployment.json 有效：${file}`);
    expect(out.join('\n')).toContain('https://oa.example.gov.cn');
  });

  it('lists every problem of a bad file in Chinese and exits 1', async () => {
    const file = join(dir, 'deployment.json');
    writeFileSync(file, JSON.stringify({ serverUrl: 'oa.example', policies: { offlineDays: 400 } }));
    expect(await command.run(['check', file])).toBe(1);
    expect(err[0]).toBe(`部署配置文件 ${file} 无效：`);
    expect(err.slice(1)).toEqual(['  - serverUrl：必须是 http:// 或 https:// 开头、不含用户名密码的网址', '  - policies.offlineDays：数值过大：期望 number <=365']);
  });

  it('checks the tray and start-on-login policies like every other field', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ policies: { startOnLogin: 'always', closeToTray: true } }));
    expect(await command.run(['check', good])).toBe(0);
    expect(out.join('\n')).toContain('"startOnLogin":"always","closeToTray":true');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ policies: { startOnLogin: 'sometimes', closeToTray: 'yes' } }));
    expect(await command.run(['check', bad])).toBe(1);
    expect(err.join('\n')).toMatch(/policies\.startOnLogin/);
    expect(err.join('\n')).toMatch(/policies\.closeToTray/);
  });

  it('says so when the file does not exist, and shows usage for anything else', async () => {
    expect(await command.run(['check', join(dir, 'missing.json')])).toBe(1);
    expect(err[0]).toMatch(/no such file/);
    expect(await command.run(['frobnicate'])).toBe(2);
    expect(err.at(-1)).toMatch(/^usage: xietong deployment/);
  });

  it('documents a sample in docs/deployment.md that the app accepts', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'deployment.md'), 'utf8');
    const block = /```json\n([\s\S]*?)\n```/.exec(doc);
    expect(block).not.toBeNull();
    expect(parseDeploymentConfig(block![1]!, 'docs/deployment.md').serverUrl).toBe('https://oa.example.gov.cn');
  });
});
