import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { WorkflowAction } from '../../../shared/domain/documents';
import type { AvailableAction } from '../../../shared/http/documents';
import { createI18n } from '../../i18n';
import { chosenFor, NextHolderPicker, type NextHolderChoice } from './NextHolderPicker';

afterEach(cleanup);

/** What the server sends 王建国 at 签发 (shared actionRecipients): 同意 goes to the clerks. */
const atSignoff: AvailableAction[] = [
  { action: 'approve', label: '同意', recipients: { step: 'numbering', eligible: [{ id: 'zhao', name: '赵敏', roles: ['clerk'] }], defaults: ['zhao'], required: true } },
  { action: 'return', label: '退回' },
  { action: 'transfer', label: '转办', recipients: { step: 'signoff', eligible: [{ id: 'liu2', name: '刘副市长', roles: ['leader'] }], defaults: [], required: true, max: 1 } },
];

async function renderPicker(actions: AvailableAction[], fromReplica = false) {
  const i18n = await createI18n('zh-CN');
  const seen: { choice: NextHolderChoice } = { choice: {} };
  function Owner() {
    const [choice, setChoice] = useState<NextHolderChoice>({});
    seen.choice = choice;
    return <NextHolderPicker actions={actions} choice={choice} fromReplica={fromReplica} onChange={(action: WorkflowAction, ids) => setChoice((c) => ({ ...c, [action]: ids }))} />;
  }
  render(
    <I18nextProvider i18n={i18n}>
      <Owner />
    </I18nextProvider>,
  );
  return seen;
}

describe('NextHolderPicker', () => {
  it('at 签发 shows who 同意 goes to — 赵敏, ticked — and nobody the server would not send it to', async () => {
    const seen = await renderPicker(atSignoff);
    const approve = screen.getByRole('group', { name: '同意：下一步办理人（编号）' });
    expect(within(approve).getByRole<HTMLInputElement>('checkbox', { name: '赵敏（文书）' }).checked).toBe(true);
    expect(within(approve).getAllByRole('checkbox')).toHaveLength(1);
    expect(screen.queryByText(/系统管理员/)).toBeNull();
    // 退回 hands it back by the trail: no list for it.
    expect(screen.getAllByRole('group')).toHaveLength(2);
    expect(chosenFor(seen.choice, atSignoff[0]!)).toEqual(['zhao']);
  });

  it('转办 takes one person; unticking the default leaves 同意 with nobody chosen', async () => {
    const seen = await renderPicker(atSignoff);
    const transfer = screen.getByRole('group', { name: '转办给' });
    const radio = within(transfer).getByRole<HTMLInputElement>('radio', { name: '刘副市长（领导）' });
    expect(radio.checked).toBe(false);
    fireEvent.click(radio);
    expect(radio.checked).toBe(true);
    expect(chosenFor(seen.choice, atSignoff[2]!)).toEqual(['liu2']);
    fireEvent.click(screen.getByRole('checkbox', { name: '赵敏（文书）' }));
    expect(chosenFor(seen.choice, atSignoff[0]!)).toEqual([]);
  });

  it('shows nothing when no action hands the document to people', async () => {
    await renderPicker([{ action: 'number', label: '编号' }]);
    expect(screen.queryByRole('group')).toBeNull();
  });

  it('offline, with no people kept on this computer, says so instead of blaming the unit', async () => {
    const nobody: AvailableAction[] = [{ action: 'submit', label: '提交', recipients: { eligible: [], defaults: [], required: true } }];
    await renderPicker(nobody, true);
    expect(screen.getByText('本机还没有保存本单位的人员名单，联网后即可选择办理人。')).toBeTruthy();
    cleanup();
    await renderPicker(nobody, false);
    expect(screen.getByText('本单位没有可以办理这一步的人员，请联系管理员。')).toBeTruthy();
  });
});
