/** Shapes the document screens share, taken from the contract. */
import type { z } from 'zod';
import type { documentCalls } from '../../../shared/api';

export type DocumentsSearchHit = z.output<typeof documentCalls.search.output>['items'][number];
