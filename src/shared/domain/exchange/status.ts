/** Where an exchanged document stands between the two units, as the clerks read it. */
import { z } from 'zod';

export const ExchangeStatusSchema = z.enum(['pending', 'received', 'returned', 'withdrawn']);
export type ExchangeStatus = z.infer<typeof ExchangeStatusSchema>;

/**
 * The zh-CN words of each status. A refusal names the status with these words (该公文已签收), and the
 * renderer's terms carry the same words, so it can word such a parameter in English.
 */
export const exchangeStatusLabels: Record<ExchangeStatus, string> = {
  pending: '待签收',
  received: '已签收',
  returned: '已退回',
  withdrawn: '已撤回',
};
