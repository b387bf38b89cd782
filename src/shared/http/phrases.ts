/**
 * 常用语: a person's saved opinion phrases (`GET`/`PUT /api/me/phrases`), kept on the server with
 * their account so every device they sign in on offers the same ones.
 */
import { z } from 'zod';

/** At most this many phrases per person. */
export const MAX_PHRASES = 50;

export const PhrasesSchema = z.object({
  phrases: z
    .array(z.string().trim().min(1, '常用语不能为空').max(200, '每条常用语不超过200字'))
    .max(MAX_PHRASES, `常用语不超过${MAX_PHRASES}条`)
    .refine((list) => new Set(list).size === list.length, '常用语不能重复'),
});
export type Phrases = z.infer<typeof PhrasesSchema>;

/** What a person is offered until they save their own list. */
export const defaultPhrases: readonly string[] = ['同意。', '拟同意，请领导审批。', '请按此办理。', '请阅。', '已阅。', '请抓紧办理，按期反馈。'];
