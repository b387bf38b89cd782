/**
 * The diagnostics service as a host without its own (the web host) gets it: logs from
 * `userData/logs`, archives into `userData/diagnostics`, versions of this Node process. The Electron
 * shell builds its own with Electron's versions, the deployment file and the Downloads folder.
 */
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import packageJson from '../../../../package.json';
import { createDiagnosticsService, type DiagnosticsService } from './exportDiagnostics';

/** The app's own version, from package.json at build time. */
export const APP_VERSION: string = packageJson.version;

export interface DefaultDiagnosticsHost {
  readonly userDataDir: string;
  readonly serverUrl: string;
}

export function defaultDiagnosticsService(host: DefaultDiagnosticsHost): DiagnosticsService {
  return createDiagnosticsService({
    logDirs: [join(host.userDataDir, 'logs')],
    outputDir: join(host.userDataDir, 'diagnostics'),
    about: () => ({ appVersion: APP_VERSION, nodeVersion: process.version, platform: platform(), arch: arch(), serverUrl: host.serverUrl }),
    configs: () => ({ 'host.json': { serverUrl: host.serverUrl, userDataDir: host.userDataDir } }),
  });
}
