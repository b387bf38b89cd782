// Type-checks every layer against its own tsconfig, so a wrong import (Node in the renderer, DOM in
// shared) fails here instead of at run time.
import { spawnSync } from 'node:child_process';

const projects = ['src/shared', 'src/renderer', 'src/preload', '.', 'tests'];
let failed = false;
for (const project of projects) {
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project, '--noEmit'], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`typecheck failed in ${project}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
