/**
 * Zod probes for eval (`Function('')`) the first time it parses, to compile faster parsers. The
 * renderer's CSP forbids eval, so the probe only ever produced a CSP violation report; jitless
 * parsing gives the same results without probing. Imported first by main.tsx.
 */
import { z } from 'zod';

z.config({ jitless: true });
