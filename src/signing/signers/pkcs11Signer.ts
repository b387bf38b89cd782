/**
 * A signer backed by a PKCS#11 token (the USB keys government staff carry; SoftHSM2 in tests).
 * The private key never leaves the token: we hand it the bytes to sign (the CMS signed attributes)
 * and get the signature back; the certificate is read from the token.
 */
import { X509Certificate } from 'node:crypto';
import type * as Graphene from 'graphene-pk11';
import { certificateDer, certificatesFromPem } from '../ca/x509Parts';
import { SignerError, type Signer } from './signer';

/** Where the key is and how to unlock it. */
export interface Pkcs11SignerOptions {
  /** The PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so, or the UKey vendor's library). */
  readonly modulePath: string;
  /** The user PIN; used for this login only and not kept. */
  readonly pin: string;
  /** Token label (default: the first token present). */
  readonly tokenLabel?: string;
  /** CKA_LABEL of the key/certificate pair (default: the first private key that has a certificate). */
  readonly keyLabel?: string;
  /** CKA_ID of the pair, hex. */
  readonly keyIdHex?: string;
  /**
   * Which certificate to sign with when the token holds several (a signing and an encryption pair, or
   * two people's): the first key whose certificate this accepts. Default: the first with a certificate.
   */
  readonly acceptCertificate?: (certificate: X509Certificate) => boolean;
  /** Issuer certificates to put in signatures (PEM text or DER), when the token holds only the leaf. */
  readonly chain?: string | readonly Buffer[];
}

/** Converts the token's raw r||s ECDSA signature into DER (what CMS expects). */
function ecdsaRawToDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const integer = (bytes: Buffer): Buffer => {
    let value = bytes;
    while (value.length > 1 && value[0] === 0 && !((value[1] ?? 0) & 0x80)) value = value.subarray(1);
    if ((value[0] ?? 0) & 0x80) value = Buffer.concat([Buffer.from([0]), value]);
    return Buffer.concat([Buffer.from([0x02, value.length]), value]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return Buffer.concat([Buffer.from(body.length < 0x80 ? [0x30, body.length] : [0x30, 0x81, body.length]), body]);
}

/**
 * Opens a session on the token, logs in with the PIN and returns a signer. Call close() when done.
 * graphene-pk11 (a native module) loads only here, so verification never needs it.
 */
export async function openPkcs11Signer(options: Pkcs11SignerOptions): Promise<Signer> {
  const graphene: typeof Graphene = await import('graphene-pk11');
  let module: Graphene.Module;
  try {
    module = graphene.Module.load(options.modulePath, 'token');
    module.initialize();
  } catch (error) {
    throw new SignerError(`cannot load the PKCS#11 module ${options.modulePath} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  let session: Graphene.Session | undefined;
  try {
    const slots = module.getSlots(true);
    let slot: Graphene.Slot | undefined;
    for (let i = 0; i < slots.length; i += 1) {
      const candidate = slots.items(i);
      if (!options.tokenLabel || candidate.getToken().label.trim() === options.tokenLabel) {
        slot = candidate;
        break;
      }
    }
    if (!slot) throw new SignerError(options.tokenLabel ? `no token labelled "${options.tokenLabel}" is present` : 'no token is present');
    session = slot.open(graphene.SessionFlag.SERIAL_SESSION);
    try {
      session.login(options.pin, graphene.UserType.USER);
    } catch (error) {
      throw new SignerError('the token refused the PIN', { cause: error });
    }
    const template: Graphene.ITemplate = { class: graphene.ObjectClass.PRIVATE_KEY };
    if (options.keyLabel) template.label = options.keyLabel;
    if (options.keyIdHex) template.id = Buffer.from(options.keyIdHex, 'hex');
    const keys = session.find(template);
    let key: Graphene.PrivateKey | undefined;
    let certificate: Buffer | undefined;
    for (let i = 0; i < keys.length && !certificate; i += 1) {
      const candidate = keys.items(i).toType<Graphene.PrivateKey>();
      const certificates = session.find({ class: graphene.ObjectClass.CERTIFICATE, id: candidate.id });
      if (certificates.length === 0) continue;
      const value = certificates.items(0).toType<Graphene.X509Certificate>().value;
      if (options.acceptCertificate && !options.acceptCertificate(new X509Certificate(value))) continue;
      key = candidate;
      certificate = value;
    }
    if (!key || !certificate) throw new SignerError(options.acceptCertificate ? 'the token holds no key whose certificate is accepted' : 'the token holds no private key with a matching certificate');
    const keyType = key.type === graphene.KeyType.EC ? 'ecdsa' : key.type === graphene.KeyType.RSA ? 'rsa' : undefined;
    if (!keyType) throw new SignerError('the token key is neither RSA nor EC');
    const extra = options.chain === undefined ? [] : typeof options.chain === 'string' ? certificatesFromPem(options.chain) : options.chain.map((der) => certificateDer(der));
    const leaf = new X509Certificate(certificate);
    const chain = [certificate, ...extra.filter((der) => !new X509Certificate(der).fingerprint256.includes(leaf.fingerprint256))];
    const openSession = session;
    const signingKey = key;
    let open = true;
    return {
      certificateChain: chain,
      keyAlgorithm: keyType,
      sign(data) {
        if (!open) return Promise.reject(new SignerError('the token session was closed'));
        try {
          const mechanism = keyType === 'rsa' ? 'SHA256_RSA_PKCS' : 'ECDSA_SHA256';
          const signature = openSession.createSign(mechanism, signingKey).once(data);
          return Promise.resolve(keyType === 'rsa' ? signature : ecdsaRawToDer(signature));
        } catch (error) {
          return Promise.reject(new SignerError(`the token could not sign (${error instanceof Error ? error.message : String(error)})`, { cause: error }));
        }
      },
      close() {
        if (!open) return;
        open = false;
        try {
          openSession.logout();
          openSession.close();
        } finally {
          module.finalize();
        }
      },
    };
  } catch (error) {
    try {
      session?.close();
    } finally {
      module.finalize();
    }
    if (error instanceof SignerError) throw error;
    throw new SignerError(`PKCS#11 error (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}
