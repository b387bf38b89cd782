/**
 * Tests that use a tool from outside npm (a Debian package) say which in their name with
 * {@link needs} and call {@link requireTools} first: where the tool is absent the test fails with one
 * line naming the package and how to install it, instead of skipping or failing deep inside a spawn.
 * The packages are the ones `npm test` installs (scripts/test-deps.json, read by scripts/test-setup.mjs).
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { z } from 'zod';

const TestDepsSchema = z.object({
  packages: z.array(z.object({ name: z.string(), commands: z.array(z.string()).optional(), files: z.array(z.string()).optional() })),
});

/** The Debian packages `npm test` sets up, as scripts/test-deps.json lists them. */
export const testDeps = TestDepsSchema.parse(JSON.parse(readFileSync(join(process.cwd(), 'scripts', 'test-deps.json'), 'utf8')));

/** The Debian package that provides a command or file the tests use, if the list names one. */
export function packageOf(tool: string): string | undefined {
  return testDeps.packages.find((p) => p.commands?.includes(tool) || p.files?.includes(tool))?.name;
}

function present(tool: string): boolean {
  if (tool.startsWith('/')) return existsSync(tool);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The suffix for a test's name: `(needs pdftotext, qpdf)`. */
export function needs(...tools: string[]): string {
  return `(needs ${tools.map((t) => (t.startsWith('/') ? packageOf(t) ?? t : t)).join(', ')})`;
}

/** Throws one clear line for the first absent tool (a command on PATH, or an absolute file path). */
export function requireTools(...tools: string[]): void {
  const absent = tools.filter((tool) => !present(tool));
  if (absent.length === 0) return;
  const packages = [...new Set(absent.map((tool) => packageOf(tool)).filter((p): p is string => p !== undefined))];
  const install = packages.length > 0 ? `: \`npm test\` as root installs it, or \`sudo apt-get install -y ${packages.join(' ')}\`` : '';
  const named = absent.map((tool) => (packageOf(tool) ? `${tool} (Debian package ${packageOf(tool)})` : tool)).join(', ');
  throw new Error(`this test needs ${named}, which is not installed${install}`);
}
