/**
 * The person's own settings file (`settings.json` in the user-data folder). A damaged file must not
 * keep the app from starting: it is set aside as `settings.json.bad-<time>` and defaults apply, so
 * nothing the person wrote is destroyed.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserSettingsSchema, type UserSettings } from '../../../shared/deployment';

export const USER_SETTINGS_FILE = 'settings.json';

export interface UserSettingsStore {
  readonly file: string;
  load(): Promise<UserSettings>;
  /** Validates and writes atomically (temp file + rename); throws on invalid settings. */
  save(settings: UserSettings): Promise<void>;
}

export interface UserSettingsStoreOptions {
  readonly onDiscarded?: (file: string, movedTo: string, reason: string) => void;
}

export function createUserSettingsStore(userDataDir: string, options: UserSettingsStoreOptions = {}): UserSettingsStore {
  const file = join(userDataDir, USER_SETTINGS_FILE);
  return {
    file,
    async load() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        return {};
      }
      let reason: string;
      try {
        const parsed = UserSettingsSchema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
        reason = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
      const movedTo = `${file}.bad-${Date.now()}`;
      await rename(file, movedTo);
      options.onDiscarded?.(file, movedTo, reason);
      return {};
    },
    async save(settings) {
      const checked = UserSettingsSchema.parse(settings);
      await mkdir(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(checked, null, 2)}\n`, 'utf8');
      await rename(temp, file);
    },
  };
}
