/**
 * 打印 in the desktop app: the system print dialog for what the main window shows. The renderer has
 * already laid the document's pages out in its print-only layer (print media shows nothing else),
 * so printing the window prints the document. Kept apart from index.ts so it is tested without
 * Electron.
 */
import { ApiFailure } from '../../shared/api/result';
import { errorText } from '../../shared/errors';

/** The part of Electron's WebContents used here. */
export interface PrintableContents {
  print(options: { silent: boolean; printBackground: boolean }, callback: (success: boolean, failureReason: string) => void): void;
}

/**
 * Opens the system print dialog for `contents`; resolves when the job is sent or the person cancels,
 * and fails with the reason Chromium gives otherwise.
 */
export function printContents(contents: PrintableContents | undefined): Promise<void> {
  if (!contents) return Promise.reject(new ApiFailure('unavailable', errorText('print.noWindow')));
  return new Promise((resolve, reject) => {
    contents.print({ silent: false, printBackground: true }, (success, failureReason) => {
      // Closing the dialog without printing is the person's choice, not a failure.
      if (success || failureReason === 'cancelled') resolve();
      else reject(new ApiFailure('unavailable', failureReason ? errorText('print.failed', { reason: failureReason }) : errorText('print.failedUnknown')));
    });
  });
}
