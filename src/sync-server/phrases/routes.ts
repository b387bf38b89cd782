/**
 * `GET /api/me/phrases` and `PUT /api/me/phrases`: the caller's own 常用语, never anyone else's.
 * Until a person saves a list they are offered the defaults.
 */
import { defaultPhrases, PhrasesSchema, type Phrases } from '../../shared/http/phrases';
import type { ServerDeps } from '../deps';
import { ok, type Router } from '../http/router';
import type { Queryable } from '../store/database';

/** The stored list of a person, or the defaults. A row that no longer parses yields the defaults, not an error. */
export async function readPhrases(db: Queryable, userId: string): Promise<Phrases> {
  const row = await db.get<{ phrases: string }>('SELECT phrases FROM user_phrases WHERE user_id = ?', [userId]);
  if (!row) return { phrases: [...defaultPhrases] };
  try {
    const parsed = PhrasesSchema.safeParse({ phrases: JSON.parse(row.phrases) as unknown });
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the defaults
  }
  return { phrases: [...defaultPhrases] };
}

export function registerPhraseRoutes(router: Router, deps: ServerDeps): void {
  router.get('/api/me/phrases', async (ctx) => ok(await readPhrases(deps.db, ctx.user.id)));
  router.put('/api/me/phrases', async (ctx) => {
    const { phrases } = await ctx.json(PhrasesSchema);
    await deps.db.run(
      'INSERT INTO user_phrases (user_id, phrases, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET phrases = excluded.phrases, updated_at = excluded.updated_at',
      [ctx.user.id, JSON.stringify(phrases), deps.now()],
    );
    return ok({ phrases });
  });
}
