/** The table of the phrases module: one row per person who saved their 常用语. */
import type { Migration } from '../store/migrations';

const phrases001 = `
CREATE TABLE user_phrases (
  user_id TEXT PRIMARY KEY,
  phrases TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
`;

export const phraseMigrations: Migration[] = [{ id: 'phrases-001-user-phrases', sqlite: phrases001, postgres: phrases001 }];
