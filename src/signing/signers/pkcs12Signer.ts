/**
 * A signer backed by a PKCS#12 file. node-forge opens the container (it is the ASN.1/PKCS#12
 * parser here); the key then becomes a node:crypto KeyObject so every signature is native RSA/ECDSA.
 * The password is used once to open the file and is not kept.
 */
import { createPrivateKey, createPublicKey, sign as cryptoSign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { useNativePkcs12Kdf } from './pkcs12Kdf';
import { SignerError, type Signer } from './signer';

/** Opens a PKCS#12 with its password. Wrong password or a file without key+certificate → clear error. */
export function openPkcs12Signer(p12: Buffer | Uint8Array, password: string): Signer {
  useNativePkcs12Kdf();
  let container: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(Buffer.from(p12).toString('binary'));
    container = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/mac|password|invalid/i.test(message)) throw new SignerError('cannot open the PKCS#12: wrong password or damaged file', { cause: error });
    throw new SignerError(`not a readable PKCS#12 file (${message})`, { cause: error });
  }
  const keyBags = [
    ...(container.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag ?? ''] ?? []),
    ...(container.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag ?? ''] ?? []),
  ];
  const keyBag = keyBags[0];
  if (!keyBag) throw new SignerError('the PKCS#12 holds no private key');
  let key: KeyObject;
  if (keyBag.key) {
    key = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
  } else if ((keyBag as { asn1?: forge.asn1.Asn1 }).asn1) {
    // forge leaves non-RSA keys (EC) as raw PKCS#8 ASN.1; node:crypto reads them.
    const der = Buffer.from(forge.asn1.toDer((keyBag as { asn1: forge.asn1.Asn1 }).asn1).getBytes(), 'binary');
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } else {
    throw new SignerError('the PKCS#12 private key is in a form this program cannot read');
  }
  const certBags = container.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag ?? ''] ?? [];
  const certificates = certBags
    .map((bag) => {
      // forge parses RSA certificates only; others (EC) stay as raw ASN.1, which is all we need.
      const raw = (bag as { asn1?: forge.asn1.Asn1 }).asn1;
      if (bag.cert) return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes(), 'binary');
      return raw ? Buffer.from(forge.asn1.toDer(raw).getBytes(), 'binary') : null;
    })
    .filter((der): der is Buffer<ArrayBuffer> => der !== null)
    .map((der) => ({ der, x509: new X509Certificate(der) }));
  const publicDer = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const own = certificates.find((cert) => cert.x509.publicKey.export({ type: 'spki', format: 'der' }).equals(publicDer));
  if (!own) throw new SignerError('the PKCS#12 holds no certificate for its private key');
  // Order the rest as a chain upwards from the signer's certificate.
  const chain = [own];
  for (let depth = 0; depth < certificates.length; depth += 1) {
    const last = chain[chain.length - 1];
    const issuer = last && certificates.find((cert) => !chain.includes(cert) && last.x509.checkIssued(cert.x509));
    if (!issuer) break;
    chain.push(issuer);
  }
  return keySigner(key, chain.map((cert) => cert.der));
}

/** A signer over a node:crypto private key and its certificate chain (DER, signer first). */
export function keySigner(privateKey: KeyObject, certificateChain: readonly Buffer[]): Signer {
  const type = privateKey.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw new SignerError(`unsupported key type ${type ?? 'unknown'} (RSA or EC expected)`);
  let key: KeyObject | null = privateKey;
  return {
    certificateChain,
    keyAlgorithm: type === 'rsa' ? 'rsa' : 'ecdsa',
    sign(data) {
      if (!key) return Promise.reject(new SignerError('the signer was closed'));
      return Promise.resolve(cryptoSign('sha256', data, key));
    },
    close() {
      // Drop the only reference so the key material can be collected once the batch is over.
      key = null;
    },
  };
}
