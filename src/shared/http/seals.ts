/**
 * Requests and responses of the seal registry (`/api/seals*`): a unit's electronic seals, each an
 * appearance bound to one signing certificate of the unit, the people allowed to apply it, and the
 * append-only 用印记录 of every use. The server parses every request with these; clients parse
 * every response with them.
 */
import { z } from 'zod';

/** 公章, 合同专用章, 财务专用章, 业务专用章. */
export const SealKindSchema = z.enum(['official', 'contract', 'finance', 'business']);
export type SealKind = z.infer<typeof SealKindSchema>;

export const sealKindLabels: Record<SealKind, string> = {
  official: '公章',
  contract: '合同专用章',
  finance: '财务专用章',
  business: '业务专用章',
};

/** A disabled seal stays in the registry (its 用印记录 must remain readable) but can no longer be applied. */
export const SealStatusSchema = z.enum(['active', 'disabled']);
export type SealStatus = z.infer<typeof SealStatusSchema>;

/**
 * What the seal looks like: the red round official seal drawn from the unit's name (the signing
 * library's `OfficialSealDesign`), or a PNG an admin uploaded, stored by its SHA-256.
 */
export const SealAppearanceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('officialSeal'), unitName: z.string(), bottomText: z.string().optional() }),
  z.object({ type: z.literal('image'), sha256: z.string().regex(/^[0-9a-f]{64}$/), contentType: z.literal('image/png') }),
]);
export type SealAppearance = z.infer<typeof SealAppearanceSchema>;

/** The certificate a seal is bound to, as people need to see it (the PEM stays on the server). */
export const SealCertificateSchema = z.object({
  /** Upper-case hex without leading zeros. */
  serialHex: z.string(),
  subject: z.string(),
  issuer: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
});
export type SealCertificate = z.infer<typeof SealCertificateSchema>;

export const SealHolderSchema = z.object({
  userId: z.string(),
  name: z.string(),
  grantedAt: z.string(),
  grantedByName: z.string(),
});
export type SealHolder = z.infer<typeof SealHolderSchema>;

export const SealViewSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  name: z.string(),
  kind: SealKindSchema,
  status: SealStatusSchema,
  appearance: SealAppearanceSchema,
  certificate: SealCertificateSchema,
  holders: z.array(SealHolderSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SealView = z.infer<typeof SealViewSchema>;

export const SealListResponseSchema = z.object({ items: z.array(SealViewSchema) });
export type SealListResponse = z.infer<typeof SealListResponseSchema>;

export const SealListQuerySchema = z.object({
  /** Admins may look at another unit's seals; everyone else sees their own unit's. */
  unitId: z.string().min(1).max(100).optional(),
});

const SealNameSchema = z.string().trim().min(1, '请填写印章名称').max(60, '印章名称过长');
const BottomTextSchema = z.string().trim().max(20, '印章下方文字过长');

/** A PNG of at most 512 KB, base64 (an admin's scanned seal image). */
const PngBase64Schema = z
  .string()
  .max(Math.ceil((512 * 1024 * 4) / 3) + 4, '印章图片不能超过 512 KB')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, '印章图片不是有效的 base64 数据');

export const CreateSealRequestSchema = z.object({
  /** The unit the seal belongs to; the admin's own unit when omitted. */
  unitId: z.string().min(1).max(100).optional(),
  name: SealNameSchema,
  kind: SealKindSchema.default('official'),
  /** The signing certificate the seal is bound to (PEM, issued by a trusted root, naming the unit). */
  certificatePem: z.string().min(1, '请提供印章绑定的证书').max(20_000, '证书过长'),
  /** Text below the star of a drawn seal (e.g. 合同专用章). */
  bottomText: BottomTextSchema.optional(),
  /** An uploaded appearance instead of the drawn one. */
  imagePngBase64: PngBase64Schema.optional(),
  /** People who may apply it from the start. */
  holders: z.array(z.string().min(1).max(100)).max(50).default([]),
});
export type CreateSealRequest = z.input<typeof CreateSealRequestSchema>;

export const UpdateSealRequestSchema = z
  .object({
    name: SealNameSchema.optional(),
    kind: SealKindSchema.optional(),
    bottomText: BottomTextSchema.optional(),
    /** `disabled` stops every further use at once; `active` re-enables. */
    status: SealStatusSchema.optional(),
  })
  .refine((value) => Object.values(value).some((v) => v !== undefined), '没有要修改的内容');
export type UpdateSealRequest = z.input<typeof UpdateSealRequestSchema>;

export const GrantSealHolderRequestSchema = z.object({ userId: z.string().min(1).max(100) });
export type GrantSealHolderRequest = z.infer<typeof GrantSealHolderRequestSchema>;

/** One entry of the 用印记录. */
export const SealUseSchema = z.object({
  id: z.number().int(),
  sealId: z.string(),
  documentId: z.string(),
  documentTitle: z.string(),
  docNumber: z.string().optional(),
  userId: z.string(),
  userName: z.string(),
  /** When the server accepted the sealed PDF (ISO). */
  at: z.string(),
  /** The signing time the signature claims (or its timestamp), when it has one. */
  signedAt: z.string().optional(),
  signerSerialHex: z.string(),
  /** SHA-256 of the signature value (hex), as `verifyPdf` reports it. */
  signatureDigest: z.string(),
  reason: z.string().optional(),
});
export type SealUse = z.infer<typeof SealUseSchema>;

export const SealUsesQuerySchema = z.object({
  /** Entries older than this id (the `next` of the previous page). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const SealUsesResponseSchema = z.object({
  items: z.array(SealUseSchema),
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next: z.number().int().optional(),
});
export type SealUsesResponse = z.infer<typeof SealUsesResponseSchema>;
