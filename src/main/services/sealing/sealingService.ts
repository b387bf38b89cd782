/**
 * 用印 in main: the real electronic seal, never a picture. The frozen PDF comes from the server with
 * the place its layout left for the seal; the clerk's own PKCS#12 certificate signs it (PAdES, an
 * incremental update) with the red official seal of their unit drawn at that place; the server
 * verifies the upload (422 with its reason if it refuses); only then is the `seal` step queued.
 *
 * The certificate's bytes and password arrive for this one call and are not kept: the signer is
 * closed (its key dropped) before the call returns, whatever happened.
 */
import { createHash } from 'node:crypto';
import type { HandlersOf } from '../../../shared/api/contract';
import { ApiFailure } from '../../../shared/api/result';
import type { sealingCalls } from '../../../shared/api/sealing.contract';
import { openPkcs12Signer, signPdf, signerCommonName, SignerError, SigningError, PdfStructureError } from '../../../signing';
import type { DocumentsService } from '../documents/documentsService';
import { failureOf, type ServerCalls } from '../documents/serverCalls';
import { errorText } from '../../../shared/errors';

export type SealingHandlers = HandlersOf<{ sealing: typeof sealingCalls }, unknown>['sealing'];

export interface SealingServiceOptions {
  readonly server: ServerCalls;
  readonly documents: Pick<DocumentsService, 'submit'>;
  /** The signed-in person's unit name: the text around the seal's star. */
  readonly unitName: () => string | null;
}

export function createSealingHandlers(options: SealingServiceOptions): SealingHandlers {
  return {
    async seal({ id, p12, password, opinion }) {
      const unitName = options.unitName();
      if (!unitName) throw new ApiFailure('unauthenticated', errorText('http.signInFirst'));

      let download;
      try {
        download = await options.server.getPdf(id);
      } catch (error) {
        throw failureOf(error);
      }
      const placement = download.sealPlacement;
      if (!placement) throw new ApiFailure('rejected', errorText('sealing.noPlacement'));

      let signer;
      try {
        signer = openPkcs12Signer(Buffer.from(p12, 'base64'), password);
      } catch (error) {
        if (error instanceof SignerError) throw new ApiFailure('invalid_input', errorText('batch.certificateLocked'));
        throw error;
      }
      let signed: Buffer;
      let signerName: string;
      try {
        signerName = signerCommonName(signer.certificateChain);
        signed = await signPdf(download.bytes, signer, {
          reason: '用印',
          appearance: {
            page: placement.pageNumber,
            x: placement.xMm,
            y: placement.yMm,
            width: placement.diameterMm,
            height: placement.diameterMm,
            graphic: { type: 'officialSeal', unitName },
          },
        });
      } catch (error) {
        if (error instanceof SigningError || error instanceof PdfStructureError || error instanceof SignerError) {
          throw new ApiFailure('rejected', errorText('sealing.failed', { message: error.message }));
        }
        throw error;
      } finally {
        signer.close();
      }

      try {
        await options.server.putPdf(id, signed);
      } catch (error) {
        // 422: the server verified and refused (wrong certificate, not the holder…); its reason is shown as is.
        throw failureOf(error);
      }
      const result = await options.documents.submit({ type: 'document.action', documentId: id, action: 'seal', opinion: opinion ? { text: opinion } : undefined });
      return { ...result, signerName, sha256: createHash('sha256').update(signed).digest('hex') };
    },
  };
}
