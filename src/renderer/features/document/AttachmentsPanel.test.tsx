import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { LocalDocument, Result, XietongApi } from '../../../shared/api';
import type { Attachment } from '../../../shared/domain/documents/model';
import { ApiProvider } from '../../app/apiContext';
import { createI18n } from '../../i18n';
import { AttachmentsPanel } from './AttachmentsPanel';
import { toBase64 } from './base64';

afterEach(cleanup);

const shaA = 'a'.repeat(64);
const shaB = 'b'.repeat(64);
const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true as const, value });
/** Only `document.fields.attachments` matters to the panel's owner below. */
const docWith = (attachments: Attachment[]) => ({ document: { fields: { attachments } }, commands: [], fromReplica: false }) as unknown as LocalDocument;

/** "main" for 附件: records the calls and keeps the list as the server would. */
function fakeApi(initial: Attachment[], refuseAdd?: string) {
  const calls: { channel: string; input: unknown }[] = [];
  let list = initial;
  const api = {
    attachments: {
      add: (input: { documentId: string; name: string; base64: string }) => {
        calls.push({ channel: 'attachments:add', input });
        if (refuseAdd) return Promise.resolve({ ok: false as const, error: { code: 'forbidden' as const, message: refuseAdd } });
        list = [...list, { name: input.name, sha256: shaB }];
        return ok(docWith(list));
      },
      get: (input: { documentId: string; sha256: string }) => {
        calls.push({ channel: 'attachments:get', input });
        return ok({ name: '预算表.xlsx', base64: toBase64(new TextEncoder().encode('预算')) });
      },
      remove: (input: { documentId: string; sha256: string }) => {
        calls.push({ channel: 'attachments:remove', input });
        list = list.filter((a) => a.sha256 !== input.sha256);
        return ok(docWith(list));
      },
    },
  };
  return { api: api as unknown as XietongApi, calls };
}

function Owner({ initial, canEdit }: { initial: Attachment[]; canEdit: boolean }) {
  const [attachments, setAttachments] = useState(initial);
  return <AttachmentsPanel documentId="doc-1" attachments={attachments} canEdit={canEdit} online onChanged={(d) => setAttachments(d.document.fields.attachments)} />;
}

async function renderPanel(api: XietongApi, initial: Attachment[], canEdit: boolean) {
  const i18n = await createI18n('zh-CN');
  return render(
    <I18nextProvider i18n={i18n}>
      <ApiProvider api={api}>
        <Owner initial={initial} canEdit={canEdit} />
      </ApiProvider>
    </I18nextProvider>,
  );
}

describe('附件 panel', () => {
  it('lets the holder add a file (sent as base64) and delete one', async () => {
    const fake = fakeApi([{ name: '预算表.xlsx', sha256: shaA }]);
    await renderPanel(fake.api, [{ name: '预算表.xlsx', sha256: shaA }], true);
    const input = screen.getByLabelText('添加附件');
    fireEvent.change(input, { target: { files: [new File(['名单'], '名单.txt', { type: 'text/plain' })] } });
    expect(await screen.findByText('名单.txt')).toBeTruthy();
    const add = fake.calls.find((c) => c.channel === 'attachments:add')?.input as { documentId: string; name: string; base64: string };
    expect(add.documentId).toBe('doc-1');
    expect(add.name).toBe('名单.txt');
    expect(new TextDecoder().decode(Uint8Array.from(atob(add.base64), (c) => c.charCodeAt(0)))).toBe('名单');
    expect(screen.getByRole('status').textContent).toBe('已添加附件：名单.txt');

    fireEvent.click(screen.getByRole('button', { name: '删除附件 预算表.xlsx' }));
    expect(await screen.findByText('已删除附件：预算表.xlsx')).toBeTruthy();
    expect(screen.queryByText('预算表.xlsx')).toBeNull();
    expect(fake.calls).toContainEqual({ channel: 'attachments:remove', input: { documentId: 'doc-1', sha256: shaA } });
  });

  it('offers only 下载 to someone who may not edit, as a blob: download', async () => {
    const fake = fakeApi([{ name: '预算表.xlsx', sha256: shaA }]);
    const made: Blob[] = [];
    URL.createObjectURL = (blob: Blob) => {
      made.push(blob);
      return 'blob:attachment';
    };
    URL.revokeObjectURL = () => undefined;
    await renderPanel(fake.api, [{ name: '预算表.xlsx', sha256: shaA }], false);
    expect(screen.queryByLabelText('添加附件')).toBeNull();
    const list = screen.getByRole('list', { name: '附件' });
    expect(within(list).queryByRole('button', { name: /删除/ })).toBeNull();
    fireEvent.click(within(list).getByRole('button', { name: '下载附件 预算表.xlsx' }));
    await screen.findByRole('button', { name: '下载附件 预算表.xlsx' });
    await expect.poll(() => made.length).toBe(1);
    expect(await made[0]?.text()).toBe('预算');
    expect(fake.calls).toContainEqual({ channel: 'attachments:get', input: { documentId: 'doc-1', sha256: shaA } });
  });

  it('shows the server’s refusal in its own words', async () => {
    const fake = fakeApi([], '只有当前办理人可以修改公文');
    await renderPanel(fake.api, [], true);
    expect(screen.getByText('没有附件。')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('添加附件'), { target: { files: [new File(['x'], 'x.txt')] } });
    expect((await screen.findByRole('alert')).textContent).toBe('只有当前办理人可以修改公文');
  });
});
