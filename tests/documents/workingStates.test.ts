/**
 * The working states — steps on which someone still has to act — are one rule in shared: the
 * renderer's 已超期 mark, the server's overdue reminders and the workflow's 催办/转办 all read it, so
 * they cannot drift apart again (the shared copy once lacked 登记).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { availableActions, startIncoming, workingStates, WorkflowStateSchema, type Participant } from '../../src/shared/domain/documents';
import { isOverdue } from '../../src/renderer/features/document/overdue';

const root = join(import.meta.dirname, '..', '..');

describe('working states, kept once in shared', () => {
  it('are the steps someone still acts on, 登记 included; not 拟稿, 已分发, 办结 or 已归档', () => {
    expect([...workingStates].sort()).toEqual(
      ['review', 'countersign', 'signoff', 'numbering', 'sealing', 'dispatching', 'registering', 'proposing', 'instructing', 'assigning', 'handling'].sort(),
    );
  });

  it('mark a document 已超期 in the list exactly on those steps', () => {
    const yesterday = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    for (const state of WorkflowStateSchema.options) {
      expect(isOverdue({ dueDate: yesterday, state }), state).toBe(workingStates.has(state));
    }
  });

  it('let the unit\'s clerk 催办 a 收文 still waiting at 登记', () => {
    const chen: Participant = { id: 'chen', name: '陈静', unitId: 'u', roles: ['clerk'] };
    const zhou: Participant = { id: 'zhou', name: '周文书', unitId: 'u', roles: ['clerk'] };
    const registering = { ...startIncoming(chen, [chen]), holders: ['chen'] };
    expect(availableActions(registering, zhou).map((a) => a.action)).toContain('remind');
  });

  it('have no second copy in the renderer or the sync server', () => {
    for (const file of ['src/renderer/features/document/overdue.ts', 'src/sync-server/documents/overdueReminders.ts']) {
      const source = readFileSync(join(root, file), 'utf8');
      expect(source, file).toContain('workingStates');
      expect(source, file).not.toMatch(/'proposing'|'handling'|'registering'/);
    }
  });
});
