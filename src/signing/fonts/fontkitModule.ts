/**
 * fontkit, loaded on first use. Evaluating its module costs about 170 ms, which every process that
 * signs or verifies without drawing text (`xietong batch-sign` of invisible signatures, `verify`)
 * would otherwise pay at start; only rendering and seal text need it.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type fontkitType from '@pdf-lib/fontkit';

export type Fontkit = typeof fontkitType;

let loaded: Fontkit | undefined;

/** The fontkit module (its CommonJS build), loaded the first time it is asked for. */
export function fontkit(): Fontkit {
  // `require` exists in every build that ships (the esbuild bundles define it, electron-vite emits
  // CommonJS); where it does not (vitest's ES modules), resolve from the working directory. Not
  // the module's own URL: Playwright loads this file as CommonJS through the specs, where it is a syntax error.
  const load = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'));
  loaded ??= load('@pdf-lib/fontkit') as Fontkit;
  return loaded;
}
