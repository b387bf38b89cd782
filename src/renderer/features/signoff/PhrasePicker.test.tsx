import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { Result, XietongApi } from '../../../shared/api';
import { ApiProvider } from '../../app/apiContext';
import { createI18n } from '../../i18n';
import { PhrasePicker } from './PhrasePicker';

afterEach(cleanup);

/** "main" for 常用语: keeps the list as the server would, refusing a save when told to. */
function fakeApi(initial: string[], refuse?: string) {
  const saved: string[][] = [];
  let list = initial;
  const answer = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true as const, value });
  const api = {
    documents: {
      phrases: () => answer({ phrases: list }),
      savePhrases: (input: { phrases: string[] }) => {
        saved.push(input.phrases);
        if (refuse) return Promise.resolve({ ok: false as const, error: { code: 'invalid_input' as const, message: refuse } });
        list = input.phrases;
        return answer({ phrases: list });
      },
    },
  };
  return { api: api as unknown as XietongApi, saved };
}

function Owner() {
  const [opinion, setOpinion] = useState('拟');
  return (
    <>
      <textarea aria-label="意见" value={opinion} readOnly />
      <PhrasePicker onPick={(p) => setOpinion((o) => o + p)} />
    </>
  );
}

async function renderPicker(api: XietongApi) {
  const i18n = await createI18n('zh-CN');
  return render(
    <I18nextProvider i18n={i18n}>
      <ApiProvider api={api}>
        <Owner />
      </ApiProvider>
    </I18nextProvider>,
  );
}

describe('常用语 picker', () => {
  it('shows nothing until opened, then puts the chosen phrase into the 意见 and closes', async () => {
    const fake = fakeApi(['同意。', '请阅。']);
    await renderPicker(fake.api);
    expect(screen.queryByRole('button', { name: '填入常用语：同意。' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '常用语' }));
    fireEvent.click(await screen.findByRole('button', { name: '填入常用语：同意。' }));
    expect(screen.getByLabelText<HTMLTextAreaElement>('意见').value).toBe('拟同意。');
    expect(screen.queryByRole('group', { name: '我的常用语' })).toBeNull();
  });

  it('edits the list one phrase a line (blank lines and repeats dropped) and offers the saved list', async () => {
    const fake = fakeApi(['同意。']);
    await renderPicker(fake.api);
    fireEvent.click(screen.getByRole('button', { name: '常用语' }));
    fireEvent.click(await screen.findByRole('button', { name: '编辑常用语' }));
    fireEvent.change(screen.getByLabelText('常用语（每行一条）'), { target: { value: '同意。\n\n  请按程序办理。 \n同意。' } });
    fireEvent.click(screen.getByRole('button', { name: '保存常用语' }));
    expect(await screen.findByRole('button', { name: '填入常用语：请按程序办理。' })).toBeTruthy();
    expect(fake.saved).toEqual([['同意。', '请按程序办理。']]);
  });

  it('keeps what was typed and shows the server’s reason when a save is refused', async () => {
    const fake = fakeApi(['同意。'], '每条常用语不超过200字');
    await renderPicker(fake.api);
    fireEvent.click(screen.getByRole('button', { name: '常用语' }));
    fireEvent.click(await screen.findByRole('button', { name: '编辑常用语' }));
    const box = screen.getByLabelText('常用语（每行一条）');
    fireEvent.change(box, { target: { value: '长'.repeat(201) } });
    fireEvent.click(screen.getByRole('button', { name: '保存常用语' }));
    expect((await screen.findByRole('alert')).textContent).toBe('每条常用语不超过200字');
    expect(screen.getByLabelText<HTMLTextAreaElement>('常用语（每行一条）').value).toBe('长'.repeat(201));
  });
});
