/** `GET /healthz`. */
import { z } from 'zod';

export const HealthResponseSchema = z.object({ ok: z.literal(true) });
