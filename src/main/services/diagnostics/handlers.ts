/** The `diagnostics:*` calls of the contract, for `createAppServices` to merge into its handlers. */
import { ApiFailure, type HandlersOf } from '../../../shared/api';
import type { diagnosticsCalls } from '../../../shared/api/diagnostics.contract';
import type { DiagnosticsService } from './exportDiagnostics';
import type { Logger } from '../logging';
import { errorText } from '../../../shared/errors';

export function createDiagnosticsHandlers<Ctx>(
  service: DiagnosticsService,
  log?: Logger,
): HandlersOf<{ diagnostics: typeof diagnosticsCalls }, Ctx>['diagnostics'] {
  return {
    export: async () => {
      try {
        const result = await service.export();
        log?.info(`diagnostics exported to ${result.path} (${result.sizeBytes} bytes)`);
        return result;
      } catch (error) {
        log?.error('diagnostics export failed', error);
        throw new ApiFailure('unavailable', errorText('diagnostics.exportFailed', { reason: error instanceof Error ? error.message : String(error) }));
      }
    },
    about: () => Promise.resolve(service.about()),
  };
}
