/**
 * Path parameters shared by the routes. The schemas are built once, at module load: building a zod
 * schema costs far more than parsing with it, and a route ran `z.string().min(1).max(100)` afresh on
 * every request (≈4 % of a workflow action's server time).
 */
import { z } from 'zod';

const IdParamSchema = z.string().min(1).max(100);
const Sha256ParamSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** The `:id` parameter (a document, exchange item or delegation id); a ZodError (400) otherwise. */
export const idParam = (params: Readonly<Record<string, string>>): string => IdParamSchema.parse(params.id);

/** The `:sha256` parameter (a blob's digest, lower-case hex); a ZodError (400) otherwise. */
export const sha256Param = (params: Readonly<Record<string, string>>): string => Sha256ParamSchema.parse(params.sha256);
