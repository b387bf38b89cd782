/**
 * The seal registry: a unit's seals (an appearance bound to one signing certificate of the unit),
 * the people an admin allowed to apply each, and the append-only 用印记录. The routes call it for
 * people; DOCS's PDF upload calls `sealEntitlement` and `recordSealUse` for every accepted seal.
 */
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { AccountUser } from '../../shared/http/auth';
import type { CreateSealRequestSchema, SealKind, SealStatus, SealUse, SealUsesResponse, SealView, UpdateSealRequestSchema } from '../../shared/http/seals';
import type { z } from 'zod';
import { appendAudit } from '../audit/auditLog';
import type { ServerDeps } from '../deps';
import { badRequest, conflict, forbidden, notFound, rejected } from '../http/errors';
import type { Queryable } from '../store/database';
import { errorText, type ErrorText } from '../../shared/errors';

interface SealRow {
  [key: string]: unknown;
  id: string;
  unit_id: string;
  name: string;
  kind: string;
  bottom_text: string | null;
  image_sha256: string | null;
  serial_hex: string;
  subject: string;
  issuer: string;
  not_before: number;
  not_after: number;
  status: string;
  created_at: number;
  updated_at: number;
}

interface HolderRow {
  [key: string]: unknown;
  seal_id: string;
  user_id: string;
  name: string | null;
  granted_by_name: string;
  granted_at: number;
}

interface UseRow {
  [key: string]: unknown;
  id: number;
  seal_id: string;
  document_id: string;
  document_title: string;
  doc_number: string | null;
  user_id: string;
  user_name: string;
  at: number;
  signed_at: number | null;
  signer_serial_hex: string;
  signature_digest: string;
  reason: string | null;
}

const SEAL_COLUMNS = 'id, unit_id, name, kind, bottom_text, image_sha256, serial_hex, subject, issuer, not_before, not_after, status, created_at, updated_at';

const iso = (ms: number): string => new Date(Number(ms)).toISOString();

/** Upper-case hex without separators or leading zeros: the one spelling compared everywhere. */
export function normaliseSerialHex(serial: string): string {
  return serial.replace(/[:\s]/g, '').toUpperCase().replace(/^0+(?=.)/, '');
}

/** The parts of a bound certificate the registry keeps, from its PEM. */
export interface ParsedSealCertificate {
  readonly pem: string;
  readonly serialHex: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly x509: X509Certificate;
}

/** Parses exactly one PEM certificate; a clear Chinese error otherwise. */
export function parseSealCertificate(pem: string): ParsedSealCertificate {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length !== 1) throw badRequest(errorText('seals.pemRequired'));
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(blocks[0]);
  } catch {
    throw badRequest(errorText('seals.certificateUnreadable'));
  }
  return {
    pem: x509.toString(),
    serialHex: normaliseSerialHex(x509.serialNumber),
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    notBefore: Date.parse(x509.validFrom),
    notAfter: Date.parse(x509.validTo),
    x509,
  };
}

/** The refusal of each administrator-only seal operation. */
const adminOnlyKeys = { create: 'seals.adminOnlyCreate', update: 'seals.adminOnlyUpdate', grant: 'seals.adminOnlyGrant', revoke: 'seals.adminOnlyRevoke' } as const;

export type SealEntitlement =
  /** The unit has no seals registered: the upload is judged by the person-certificate rule alone. */
  | { readonly kind: 'unregistered' }
  | { readonly kind: 'entitled'; readonly seal: { readonly id: string; readonly name: string } }
  | { readonly kind: 'refused'; readonly reason: ErrorText };

export interface SealUseRecord {
  readonly sealId: string;
  readonly documentId: string;
  readonly documentTitle: string;
  readonly docNumber?: string | undefined;
  readonly user: { readonly id: string; readonly name: string };
  readonly at: number;
  readonly signedAt?: number | undefined;
  readonly signerSerialHex: string;
  readonly signatureDigest: string;
  readonly reason?: string | undefined;
}

/**
 * May `userId` apply, to a document of `unitId`, a signature made with the certificate `serialHex`?
 * Only through an active seal of that unit bound to that certificate and held by that person.
 */
export async function sealEntitlement(db: Queryable, input: { unitId: string; userId: string; signerSerialHex: string | undefined; at: number }): Promise<SealEntitlement> {
  const registered = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM seals WHERE unit_id = ?', [input.unitId]);
  if (Number(registered?.n ?? 0) === 0) return { kind: 'unregistered' };
  if (!input.signerSerialHex) return { kind: 'refused', reason: errorText('seals.noSerial') };
  const serial = normaliseSerialHex(input.signerSerialHex);
  const seals = await db.all<SealRow>(`SELECT ${SEAL_COLUMNS} FROM seals WHERE unit_id = ? AND serial_hex = ? ORDER BY created_at`, [input.unitId, serial]);
  if (seals.length === 0) return { kind: 'refused', reason: errorText('seals.certificateNotBound', { serial }) };
  const active = seals.filter((seal) => seal.status === 'active');
  if (active.length === 0) return { kind: 'refused', reason: errorText('seals.disabledNoUse', { name: seals[0]!.name }) };
  const valid = active.filter((seal) => Number(seal.not_before) <= input.at && input.at <= Number(seal.not_after));
  if (valid.length === 0) return { kind: 'refused', reason: errorText('seals.certificateOutOfValidity', { name: active[0]!.name }) };
  for (const seal of valid) {
    const held = await db.get('SELECT seal_id FROM seal_holders WHERE seal_id = ? AND user_id = ?', [seal.id, input.userId]);
    if (held) return { kind: 'entitled', seal: { id: seal.id, name: seal.name } };
  }
  return { kind: 'refused', reason: errorText('seals.notGranted', { name: valid[0]!.name }) };
}

/**
 * Appends one entry to the 用印记录 and the same event to the document's audit chain. Call it inside
 * the transaction that stores the sealed PDF, so the PDF and its record commit together.
 */
export async function recordSealUse(tx: Queryable, use: SealUseRecord): Promise<void> {
  await tx.run(
    'INSERT INTO seal_uses (seal_id, document_id, document_title, doc_number, user_id, user_name, at, signed_at, signer_serial_hex, signature_digest, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [use.sealId, use.documentId, use.documentTitle, use.docNumber ?? null, use.user.id, use.user.name, use.at, use.signedAt ?? null, normaliseSerialHex(use.signerSerialHex), use.signatureDigest, use.reason ?? null],
  );
  const seal = await tx.get<{ name: string }>('SELECT name FROM seals WHERE id = ?', [use.sealId]);
  await appendAudit(tx, {
    documentId: use.documentId,
    at: use.at,
    actorId: use.user.id,
    actorName: use.user.name,
    action: 'seal.use',
    payload: { sealId: use.sealId, sealName: seal?.name ?? '', signerSerialHex: normaliseSerialHex(use.signerSerialHex), signatureDigest: use.signatureDigest, ...(use.reason ? { reason: use.reason } : {}) },
  });
}

const isAdmin = (user: AccountUser): boolean => user.roles.includes('admin');

/** The registry's operations for the routes; every method checks who may do it. */
export class SealRegistry {
  constructor(private readonly deps: Pick<ServerDeps, 'db' | 'accounts' | 'now'>) {}

  private async unitNames(): Promise<Map<string, string>> {
    return new Map((await this.deps.accounts.listUnits()).map((unit) => [unit.id, unit.name]));
  }

  private async views(rows: SealRow[]): Promise<SealView[]> {
    if (rows.length === 0) return [];
    const units = await this.unitNames();
    const holders = await this.deps.db.all<HolderRow>(
      `SELECT h.seal_id, h.user_id, u.name, h.granted_by_name, h.granted_at FROM seal_holders h LEFT JOIN users u ON u.id = h.user_id WHERE h.seal_id IN (${rows.map(() => '?').join(', ')}) ORDER BY h.granted_at, h.user_id`,
      rows.map((row) => row.id),
    );
    return rows.map((row) => {
      const unitName = units.get(row.unit_id) ?? row.unit_id;
      return {
        id: row.id,
        unitId: row.unit_id,
        unitName,
        name: row.name,
        kind: row.kind as SealKind,
        status: row.status as SealStatus,
        appearance: row.image_sha256
          ? { type: 'image' as const, sha256: row.image_sha256, contentType: 'image/png' as const }
          : { type: 'officialSeal' as const, unitName, ...(row.bottom_text ? { bottomText: row.bottom_text } : {}) },
        certificate: { serialHex: row.serial_hex, subject: row.subject, issuer: row.issuer, notBefore: iso(row.not_before), notAfter: iso(row.not_after) },
        holders: holders
          .filter((h) => h.seal_id === row.id)
          .map((h) => ({ userId: h.user_id, name: h.name ?? h.user_id, grantedAt: iso(h.granted_at), grantedByName: h.granted_by_name })),
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
      };
    });
  }

  private async row(id: string): Promise<SealRow> {
    const row = await this.deps.db.get<SealRow>(`SELECT ${SEAL_COLUMNS} FROM seals WHERE id = ?`, [id]);
    if (!row) throw notFound(errorText('seals.notFound'));
    return row;
  }

  /** A seal the caller may see: one of their own unit's, or any for an admin. */
  private async visible(user: AccountUser, id: string): Promise<SealRow> {
    const row = await this.row(id);
    if (row.unit_id !== user.unitId && !isAdmin(user)) throw forbidden(errorText('seals.ownUnitOnly'));
    return row;
  }

  private requireAdmin(user: AccountUser, what: 'create' | 'update' | 'grant' | 'revoke'): void {
    if (!isAdmin(user)) throw forbidden(errorText(adminOnlyKeys[what]));
  }

  async view(user: AccountUser, id: string): Promise<SealView> {
    const [view] = await this.views([await this.visible(user, id)]);
    return view!;
  }

  /** GET /api/seals: the seals of the caller's unit (an admin may name another unit). */
  async list(user: AccountUser, unitId?: string): Promise<SealView[]> {
    const unit = unitId ?? user.unitId;
    if (unit !== user.unitId && !isAdmin(user)) throw forbidden(errorText('seals.ownUnitOnly'));
    return this.views(await this.deps.db.all<SealRow>(`SELECT ${SEAL_COLUMNS} FROM seals WHERE unit_id = ? ORDER BY created_at, name`, [unit]));
  }

  /** GET /api/seals/mine: the active seals the caller holds, whose certificate is valid now. */
  async mine(user: AccountUser): Promise<SealView[]> {
    const now = this.deps.now();
    const rows = await this.deps.db.all<SealRow>(
      `SELECT ${SEAL_COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')} FROM seals s JOIN seal_holders h ON h.seal_id = s.id WHERE h.user_id = ? AND s.status = 'active' AND s.unit_id = ? AND s.not_before <= ? AND s.not_after >= ? ORDER BY s.created_at, s.name`,
      [user.id, user.unitId, now, now],
    );
    return this.views(rows);
  }

  /** POST /api/seals (admins): checks the certificate is trusted, of the unit and valid; binds it. */
  async create(user: AccountUser, input: z.output<typeof CreateSealRequestSchema>): Promise<SealView> {
    this.requireAdmin(user, 'create');
    const unitId = input.unitId ?? user.unitId;
    const unitName = (await this.unitNames()).get(unitId);
    if (!unitName) throw badRequest(errorText('seals.unitMissing'));
    const certificate = parseSealCertificate(input.certificatePem);
    await this.checkCertificate(certificate, unitName);
    let image: { sha256: string; bytes: Buffer } | undefined;
    if (input.imagePngBase64) {
      const bytes = Buffer.from(input.imagePngBase64, 'base64');
      // Only a real PNG: the client draws it as an image, nothing else may pass for one.
      if (bytes.length < 24 || !bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw badRequest(errorText('seals.pngRequired'));
      image = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
    }
    await this.checkHolders(input.holders, unitId);
    const id = randomUUID();
    const now = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      const clash = await tx.get('SELECT id FROM seals WHERE unit_id = ? AND name = ?', [unitId, input.name]);
      if (clash) throw conflict(errorText('seals.nameTaken', { name: input.name }));
      if (image) {
        await tx.run('INSERT INTO seal_images (sha256, content, content_type, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING', [image.sha256, image.bytes, 'image/png', now]);
      }
      await insertSeal(tx, {
        id,
        unitId,
        name: input.name,
        kind: input.kind,
        bottomText: input.bottomText || null,
        imageSha256: image?.sha256 ?? null,
        certificate,
        createdBy: user.id,
        now,
      });
      for (const holder of input.holders) await grant(tx, id, holder, user, now);
    });
    return this.view(user, id);
  }

  /** PATCH /api/seals/:id (admins): rename, change kind or bottom text, disable or re-enable. */
  async update(user: AccountUser, id: string, input: z.output<typeof UpdateSealRequestSchema>): Promise<SealView> {
    this.requireAdmin(user, 'update');
    const row = await this.row(id);
    const now = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      if (input.name !== undefined && input.name !== row.name) {
        const clash = await tx.get('SELECT id FROM seals WHERE unit_id = ? AND name = ? AND id <> ?', [row.unit_id, input.name, id]);
        if (clash) throw conflict(errorText('seals.nameTaken', { name: input.name }));
      }
      await tx.run('UPDATE seals SET name = ?, kind = ?, bottom_text = ?, status = ?, updated_at = ? WHERE id = ?', [
        input.name ?? row.name,
        input.kind ?? row.kind,
        input.bottomText !== undefined ? input.bottomText || null : row.bottom_text,
        input.status ?? row.status,
        now,
        id,
      ]);
    });
    return this.view(user, id);
  }

  /** POST /api/seals/:id/holders (admins): allows a person of the seal's unit to apply it. */
  async grant(user: AccountUser, id: string, userId: string): Promise<SealView> {
    this.requireAdmin(user, 'grant');
    const row = await this.row(id);
    if (row.status !== 'active') throw conflict(errorText('seals.disabledNoGrant'));
    await this.checkHolders([userId], row.unit_id);
    await this.deps.db.transaction(async (tx) => {
      await grant(tx, id, userId, user, this.deps.now());
      await tx.run('UPDATE seals SET updated_at = ? WHERE id = ?', [this.deps.now(), id]);
    });
    return this.view(user, id);
  }

  /** DELETE /api/seals/:id/holders/:userId (admins): that person can no longer apply it. */
  async revoke(user: AccountUser, id: string, userId: string): Promise<SealView> {
    this.requireAdmin(user, 'revoke');
    await this.row(id);
    const removed = await this.deps.db.run('DELETE FROM seal_holders WHERE seal_id = ? AND user_id = ?', [id, userId]);
    if (removed.changes === 0) throw notFound(errorText('seals.notHolder'));
    await this.deps.db.run('UPDATE seals SET updated_at = ? WHERE id = ?', [this.deps.now(), id]);
    return this.view(user, id);
  }

  /** GET /api/seals/:id/uses: newest first, for admins and the seal's holders. */
  async uses(user: AccountUser, id: string, page: { before?: number | undefined; limit: number }): Promise<SealUsesResponse> {
    const row = await this.visible(user, id);
    if (!isAdmin(user)) {
      const held = await this.deps.db.get('SELECT seal_id FROM seal_holders WHERE seal_id = ? AND user_id = ?', [row.id, user.id]);
      if (!held) throw forbidden(errorText('seals.usesForbidden'));
    }
    const rows = await this.deps.db.all<UseRow>(
      `SELECT id, seal_id, document_id, document_title, doc_number, user_id, user_name, at, signed_at, signer_serial_hex, signature_digest, reason FROM seal_uses WHERE seal_id = ?${page.before ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
      page.before ? [id, page.before, page.limit + 1] : [id, page.limit + 1],
    );
    const items: SealUse[] = rows.slice(0, page.limit).map((r) => ({
      id: Number(r.id),
      sealId: r.seal_id,
      documentId: r.document_id,
      documentTitle: r.document_title,
      ...(r.doc_number ? { docNumber: r.doc_number } : {}),
      userId: r.user_id,
      userName: r.user_name,
      at: iso(r.at),
      ...(r.signed_at != null ? { signedAt: iso(r.signed_at) } : {}),
      signerSerialHex: r.signer_serial_hex,
      signatureDigest: r.signature_digest,
      ...(r.reason ? { reason: r.reason } : {}),
    }));
    const last = items[items.length - 1];
    return { items, ...(rows.length > page.limit && last ? { next: last.id } : {}) };
  }

  /** GET /api/seals/:id/appearance: the uploaded PNG, or undefined when the seal is drawn from its design. */
  async appearanceImage(user: AccountUser, id: string): Promise<Buffer | undefined> {
    const row = await this.visible(user, id);
    if (!row.image_sha256) return undefined;
    const image = await this.deps.db.get<{ content: Buffer }>('SELECT content FROM seal_images WHERE sha256 = ?', [row.image_sha256]);
    if (!image) throw notFound(errorText('seals.imageMissing'));
    return Buffer.from(image.content);
  }

  /** The certificate must chain to a root the server trusts, name the unit, and be valid now. */
  private async checkCertificate(certificate: ParsedSealCertificate, unitName: string): Promise<void> {
    const now = this.deps.now();
    if (certificate.notAfter < now) throw rejected(errorText('seals.certificateExpired'));
    if (certificate.notBefore > now) throw rejected(errorText('seals.certificateNotYetValid'));
    if (!certificate.subject.includes(unitName)) throw rejected(errorText('seals.certificateOtherUnit', { subject: certificate.subject, unitName }));
    const roots = await this.deps.accounts.trustedRoots();
    const trusted = roots.some(({ pem }) => {
      try {
        const root = new X509Certificate(pem);
        return certificate.x509.checkIssued(root) && certificate.x509.verify(root.publicKey);
      } catch {
        return false;
      }
    });
    if (!trusted) throw rejected(errorText('seals.certificateUntrusted'));
  }

  private async checkHolders(userIds: readonly string[], unitId: string): Promise<void> {
    for (const userId of userIds) {
      const person = await this.deps.accounts.userById(userId);
      if (!person) throw badRequest(errorText('seals.userMissing', { userId }));
      if (person.unitId !== unitId) throw rejected(errorText('seals.holderOtherUnit', { name: person.name }));
    }
  }
}

async function grant(tx: Queryable, sealId: string, userId: string, by: { id: string; name: string }, now: number): Promise<void> {
  await tx.run('INSERT INTO seal_holders (seal_id, user_id, granted_by, granted_by_name, granted_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (seal_id, user_id) DO NOTHING', [
    sealId,
    userId,
    by.id,
    by.name,
    now,
  ]);
}

/** Inserts a seal row (an existing id is left as it is: demo seeding on several instances). */
export async function insertSeal(
  tx: Queryable,
  seal: { id: string; unitId: string; name: string; kind: SealKind; bottomText: string | null; imageSha256: string | null; certificate: ParsedSealCertificate; createdBy: string; now: number },
): Promise<boolean> {
  const result = await tx.run(
    `INSERT INTO seals (id, unit_id, name, kind, bottom_text, image_sha256, certificate_pem, serial_hex, subject, issuer, not_before, not_after, status, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    [
      seal.id,
      seal.unitId,
      seal.name,
      seal.kind,
      seal.bottomText,
      seal.imageSha256,
      seal.certificate.pem,
      seal.certificate.serialHex,
      seal.certificate.subject,
      seal.certificate.issuer,
      seal.certificate.notBefore,
      seal.certificate.notAfter,
      seal.createdBy,
      seal.now,
      seal.now,
    ],
  );
  return result.changes === 1;
}

/** Grants a seal to a person inside a caller's transaction (demo seeding). */
export const grantSealHolder = grant;
