/**
 * Failures of the replica and of syncing that a person may read carry their catalogue key beside the
 * zh-CN message, so the English interface does not show them in Chinese; a keyed failure inside
 * another (保存修改失败：…) is worded in the same language.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BlobFiles } from '../../src/main/services/replica/blobStore';
import { latestVersion, migrate } from '../../src/main/services/replica/migrations';
import { encodeReason, errorText, wordError } from '../../src/shared/errors';

describe('keyed replica and sync failures', () => {
  it('a damaged local file and a newer database say so with a key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xietong-keyed-'));
    try {
      const blobs = new BlobFiles(join(dir, 'blobs'));
      const sha256 = blobs.write(new Uint8Array([1, 2, 3]));
      writeFileSync(join(dir, 'blobs', sha256.slice(0, 2), sha256), 'changed');
      expect(() => blobs.read(sha256)).toThrow(expect.objectContaining({ key: 'replica.blobCorrupt', message: `本地文件已损坏：${sha256}` }));

      const db = new Database(join(dir, 'replica.sqlite'));
      db.pragma(`user_version = ${latestVersion + 1}`);
      expect(() => migrate(db)).toThrow(expect.objectContaining({ key: 'replica.newerVersion', params: { current: latestVersion + 1, latest: latestVersion } }));
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('words a keyed failure inside another in the same language', () => {
    const saveFailed = errorText('sync.saveFailed', { reason: encodeReason(errorText('sync.invalidUpdate')) });
    expect(saveFailed.message).toBe('保存修改失败：无效的文档修改数据');
    expect(wordError(saveFailed, 'en')).toBe('Saving the change failed: Invalid document change data');
  });
});
