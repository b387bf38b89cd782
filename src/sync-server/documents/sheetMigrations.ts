/**
 * The 处理笺 kept with an archived document: rendered once at 归档, stored as a blob (document_blobs,
 * by its SHA-256) and linked here, so the archive holds the very sheet that was current when it closed.
 */
import type { Migration } from '../store/migrations';

const sheets001 = `
CREATE TABLE document_sheets (
  document_id TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
`;

export const sheetMigrations: Migration[] = [{ id: 'sheets-001-archived-sheets', sqlite: sheets001, postgres: sheets001 }];
