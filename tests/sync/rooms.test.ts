import { describe, expect, it } from 'vitest';

import { documentRoom, formatRoomName, parseRoomName, RoomNameSchema } from '../../src/shared/rooms';

describe('room names', () => {
  it('parses each kind into its parts', () => {
    expect(parseRoomName('doc:4f1c-9a')).toEqual({ kind: 'doc', id: '4f1c-9a', name: 'doc:4f1c-9a' });
    expect(parseRoomName('chat:c_1')?.kind).toBe('chat');
    expect(parseRoomName('user:42')?.id).toBe('42');
  });

  it('rejects unknown kinds, empty or unsafe ids', () => {
    for (const bad of ['', 'doc', 'doc:', 'blob:1', 'doc:a/b', 'doc:a b', 'doc:文件', `doc:${'x'.repeat(129)}`, 'DOC:1']) {
      expect(parseRoomName(bad), bad).toBeNull();
    }
  });

  it('accepts exactly what RoomNameSchema accepts', () => {
    const names = ['doc:a', `doc:${'x'.repeat(128)}`, `doc:${'x'.repeat(129)}`, `chat:${'y'.repeat(128)}`, 'user:a.b_c-d', 'doc:a\n', '\ndoc:a', 'doc:a:b', 'doc::a', ' doc:a', 'user:%41'];
    for (const name of names) expect(parseRoomName(name) !== null, name).toBe(RoomNameSchema.safeParse(name).success);
  });

  it('formats names and refuses ids that would not parse back', () => {
    expect(formatRoomName('chat', 'abc')).toBe('chat:abc');
    expect(documentRoom('d-1')).toBe('doc:d-1');
    expect(parseRoomName(documentRoom('d-1'))?.id).toBe('d-1');
    expect(() => formatRoomName('doc', '../x')).toThrow();
  });
});
