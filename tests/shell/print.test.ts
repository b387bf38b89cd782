import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../src/shared/api/result';
import { printContents, type PrintableContents } from '../../src/main/shell/print';

/** A window whose print dialog ends as `outcome` says. */
function contents(outcome: [boolean, string]): PrintableContents & { options: unknown[] } {
  const options: unknown[] = [];
  return {
    options,
    print(opts, callback) {
      options.push(opts);
      setTimeout(() => callback(...outcome), 0);
    },
  };
}

describe('打印 in the desktop shell', () => {
  it('opens the system dialog (not silent) and resolves when the job is sent', async () => {
    const window = contents([true, '']);
    await expect(printContents(window)).resolves.toBeUndefined();
    expect(window.options).toEqual([{ silent: false, printBackground: true }]);
  });

  it('treats a cancelled dialog as done, and a failed job as an error with the reason', async () => {
    await expect(printContents(contents([false, 'cancelled']))).resolves.toBeUndefined();
    const failed = printContents(contents([false, 'failed']));
    await expect(failed).rejects.toBeInstanceOf(ApiFailure);
    await expect(failed).rejects.toThrow('打印失败：failed');
    await expect(printContents(undefined)).rejects.toThrow('没有可打印的窗口');
  });
});
