/**
 * fontkit, loaded on first use. Evaluating its module costs about 170 ms, which every process that
 * signs or verifies without drawing text (`xietong batch-sign` of invisible signatures, `verify`)
 * would otherwise pay at start; only rendering and seal text need it.
 */
import { createRequire } from 'node:module';
import type fontkitType from '@pdf-lib/fontkit';

export type Fontkit = typeof fontkitType;

let loaded: Fontkit | undefined;

/** The fontkit module (its CommonJS build), loaded the first time it is asked for. */
export function fontkit(): Fontkit {
  loaded ??= createRequire(import.meta.url)('@pdf-lib/fontkit') as Fontkit;
  return loaded;
}
