/**
 * A tiny but real RFC 3161 time-stamping authority on 127.0.0.1 for the B-T tests: node-forge parses
 * the TimeStampReq and lays out the TSTInfo; the token is CMS SignedData signed by a TSA certificate
 * (extKeyUsage timeStamping) of the test CA.
 */
import { createHash, createPrivateKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { buildSignedData } from '../../src/signing/cms/cadesSignature';
import { keySigner } from '../../src/signing/signers/pkcs12Signer';
import { certificateDer } from '../../src/signing/ca/x509Parts';
import { OID } from '../../src/signing/der';
import type { CertificateAuthority } from '../../src/signing';

const { asn1 } = forge;

export interface RunningTsa {
  readonly url: string;
  readonly requests: number;
  close(): Promise<void>;
}

function generalizedTime(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Starts the TSA; `tsa` is its certificate and key, `caPem` its issuer (put in the token). */
export async function startTsa(tsa: CertificateAuthority, caPem: string): Promise<RunningTsa> {
  const signer = keySigner(createPrivateKey(tsa.privateKeyPem), [certificateDer(tsa.certificatePem), certificateDer(caPem)]);
  let serial = 1;
  let requests = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size < 65_536) chunks.push(chunk);
    });
    request.on('end', () => {
      void (async () => {
        requests += 1;
        try {
          if (request.method !== 'POST' || request.headers['content-type'] !== 'application/timestamp-query') throw new Error('bad request');
          const parsed = asn1.fromDer(Buffer.concat(chunks).toString('binary'));
          const fields = parsed.value as forge.asn1.Asn1[];
          const imprint = fields[1];
          if (!imprint) throw new Error('no message imprint');
          const nonce = fields.find((field) => field.type === asn1.Type.INTEGER && field !== fields[0]);
          const tstInfoFields = [
            asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(1).getBytes()),
            asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer('1.3.6.1.4.1.99999.1').getBytes()),
            imprint,
            asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(serial++).getBytes()),
            asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, generalizedTime(new Date())),
          ];
          if (nonce) tstInfoFields.push(nonce);
          const tstInfo = Buffer.from(asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, tstInfoFields)).getBytes(), 'binary');
          const token = await buildSignedData({ signer, contentType: OID.tstInfo, content: tstInfo, contentDigest: createHash('sha256').update(tstInfo).digest() });
          const status = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(0).getBytes())]);
          const reply = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [status, asn1.fromDer(token.toString('binary'))]);
          response.writeHead(200, { 'content-type': 'application/timestamp-reply' });
          response.end(Buffer.from(asn1.toDer(reply).getBytes(), 'binary'));
        } catch {
          response.writeHead(400);
          response.end();
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    get requests() {
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
