/**
 * Stands in for the `setimmediate` polyfill in the renderer bundle (electron.vite.config.ts aliases
 * it here). jszip, which mammoth uses to open a .docx, requires that polyfill only to get a global
 * `setImmediate`; the polyfill also turns a string argument into code with `Function()`, which the
 * renderer's CSP forbids and Electronegativity rightly reports. This one schedules functions only.
 */
type Task = (...args: unknown[]) => void;
const scope = globalThis as { setImmediate?: (task: Task, ...args: unknown[]) => unknown };

if (typeof scope.setImmediate !== 'function') {
  scope.setImmediate = (task: Task, ...args: unknown[]) => {
    if (typeof task !== 'function') throw new TypeError('setImmediate takes a function');
    return setTimeout(() => task(...args), 0);
  };
}

export {};
