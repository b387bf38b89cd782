/**
 * Where an administrator may put `deployment.json`. Beside the installed app wins (it travels with a
 * portable copy or an image); otherwise the per-OS system path that group policy or a package
 * manager can write.
 */
import { join, win32, posix } from 'node:path';

export const DEPLOYMENT_FILE_NAME = 'deployment.json';

export interface LocateInput {
  readonly platform: NodeJS.Platform;
  /** The running executable (`process.execPath`): the app's own folder is its directory. */
  readonly execPath: string;
  /** `process.resourcesPath` in a packaged app (…/resources), where installers may also drop the file. */
  readonly resourcesPath?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The system-wide path for a platform: %ProgramData%\XieTong, /etc/xietong or /Library/Application Support/XieTong. */
export function systemDeploymentPath(platform: NodeJS.Platform, env: LocateInput['env']): string {
  if (platform === 'win32') return win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'XieTong', DEPLOYMENT_FILE_NAME);
  if (platform === 'darwin') return posix.join('/Library/Application Support/XieTong', DEPLOYMENT_FILE_NAME);
  return posix.join('/etc/xietong', DEPLOYMENT_FILE_NAME);
}

/**
 * Candidate files in order of precedence. `XIETONG_DEPLOYMENT` (a path) comes first so an
 * administrator can test a file before rolling it out.
 */
export function deploymentCandidates(input: LocateInput): string[] {
  const candidates: string[] = [];
  const fromEnv = input.env.XIETONG_DEPLOYMENT;
  if (fromEnv !== undefined && fromEnv.trim() !== '') candidates.push(fromEnv.trim());
  const pathApi = input.platform === 'win32' ? win32 : posix;
  candidates.push(pathApi.join(pathApi.dirname(input.execPath), DEPLOYMENT_FILE_NAME));
  if (input.resourcesPath !== undefined) candidates.push(join(input.resourcesPath, DEPLOYMENT_FILE_NAME));
  candidates.push(systemDeploymentPath(input.platform, input.env));
  return [...new Set(candidates)];
}

