import { describe, expect, it } from 'vitest';
import { readWebHostConfig } from './config';

describe('web host configuration from the environment', () => {
  it('defaults to ./.xietong-data, port 5173 and an embedded server', () => {
    expect(readWebHostConfig({}, '/home/clerk/xietong')).toEqual({ dataDir: '/home/clerk/xietong/.xietong-data', port: 5173, serverUrl: undefined, ukeyModules: [] });
  });

  it('honours XIETONG_DATA, XIETONG_WEB_PORT and XIETONG_SERVER_URL', () => {
    const config = readWebHostConfig({ XIETONG_DATA: 'data', XIETONG_WEB_PORT: '8080', XIETONG_SERVER_URL: 'http://10.0.0.5:8787' }, '/srv');
    expect(config).toEqual({ dataDir: '/srv/data', port: 8080, serverUrl: 'http://10.0.0.5:8787', ukeyModules: [] });
  });

  it('reads the UKey drivers from XIETONG_UKEY_MODULES and refuses a pair without a path', () => {
    const config = readWebHostConfig({ XIETONG_UKEY_MODULES: 'SoftHSM=/usr/lib/softhsm/libsofthsm2.so; 飞天=/opt/ft/libes_3000gm.so' }, '/srv');
    expect(config.ukeyModules).toEqual([
      { name: 'SoftHSM', path: '/usr/lib/softhsm/libsofthsm2.so' },
      { name: '飞天', path: '/opt/ft/libes_3000gm.so' },
    ]);
    expect(() => readWebHostConfig({ XIETONG_UKEY_MODULES: '/usr/lib/softhsm/libsofthsm2.so' }, '/srv')).toThrow(/XIETONG_UKEY_MODULES/);
  });

  it('treats blank variables as unset', () => {
    expect(readWebHostConfig({ XIETONG_WEB_PORT: ' ', XIETONG_SERVER_URL: '' }, '/srv').port).toBe(5173);
  });

  it('refuses a port or server address that cannot be right, saying which variable', () => {
    expect(() => readWebHostConfig({ XIETONG_WEB_PORT: 'eighty' }, '/srv')).toThrow(/XIETONG_WEB_PORT/);
    expect(() => readWebHostConfig({ XIETONG_WEB_PORT: '70000' }, '/srv')).toThrow(/XIETONG_WEB_PORT/);
    expect(() => readWebHostConfig({ XIETONG_SERVER_URL: 'ftp://server' }, '/srv')).toThrow(/XIETONG_SERVER_URL/);
  });
});
