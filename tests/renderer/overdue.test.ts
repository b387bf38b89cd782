/** 已超期 in the lists: past the 办理期限 and still on a working step. */
import { describe, expect, it } from 'vitest';
import { isOverdue, localDay } from '../../src/renderer/features/document/overdue';

const today = new Date(2026, 10, 23, 9, 30);

describe('isOverdue', () => {
  it('marks a document whose due date has passed while someone still works on it', () => {
    expect(localDay(today)).toBe('2026-11-23');
    expect(isOverdue({ dueDate: '2026-11-22', state: 'signoff' }, today)).toBe(true);
    expect(isOverdue({ dueDate: '2026-11-01', state: 'handling' }, today)).toBe(true);
  });

  it('does not mark a document due today or later, without a due date, or off the working steps', () => {
    expect(isOverdue({ dueDate: '2026-11-23', state: 'signoff' }, today)).toBe(false);
    expect(isOverdue({ dueDate: '2026-12-01', state: 'review' }, today)).toBe(false);
    expect(isOverdue({ state: 'review' }, today)).toBe(false);
    for (const state of ['draft', 'dispatched', 'completed', 'archived'] as const) expect(isOverdue({ dueDate: '2026-11-01', state }, today)).toBe(false);
  });

  it('follows the server\'s decision when the row carries one (its working days: a 办理期限 on Saturday runs to Monday\'s end)', () => {
    const monday = new Date(2026, 10, 30, 10, 0);
    expect(isOverdue({ dueDate: '2026-11-28', state: 'signoff', overdue: false }, monday)).toBe(false);
    expect(isOverdue({ dueDate: '2026-11-28', state: 'signoff', overdue: true }, monday)).toBe(true);
  });
});
