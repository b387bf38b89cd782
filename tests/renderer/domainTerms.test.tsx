/**
 * The domain's words in the interface language: with the interface in English, a document's step,
 * type, urgency, its action buttons and its 流转记录 read in English (they showed 签发, 通知, 提交);
 * in Chinese they are exactly the words the server, the PDF and INTERFACES.md use.
 */
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { XietongApi } from '../../src/shared/api';
import {
  documentTypeLabels,
  workflowActionLabels,
  workflowStateLabels,
  type HistoryEntry,
} from '../../src/shared/domain/documents';
import type { DocumentListItem } from '../../src/shared/http/documents';
import { Timeline } from '../../src/renderer/features/document/Timeline';
import { VerificationPanel } from '../../src/renderer/features/exchange/VerificationPanel';
import type { ExchangeVerification } from '../../src/shared/http/exchange';
import type { RevisionParagraph } from '../../src/shared/http/revisions';
import { RevisionsText } from '../../src/renderer/features/revisions/RevisionsText';
import { NextHolderPicker } from '../../src/renderer/features/document/NextHolderPicker';
import { TodoList } from '../../src/renderer/features/todo/TodoList';
import { termInLanguage, termResources } from '../../src/renderer/i18n/terms';
import { createI18n } from '../../src/renderer/i18n';
import { describeError } from '../../src/renderer/i18n/errors';
import { errorText } from '../../src/shared/errors';
import { eligibleFor } from '../../src/shared/domain/documents';
import { renderWithApi } from './render';

afterEach(cleanup);

const row: DocumentListItem = {
  id: 'd1',
  kind: 'outgoing',
  type: 'notice',
  title: '关于做好冬季防火工作的通知',
  state: 'signoff',
  stateLabel: '签发',
  urgency: 'urgent',
  secrecyLevel: 'none',
  holders: ['user-wang'],
  updatedAt: '2026-12-01T08:00:00.000Z',
};

const api = {
  on: () => () => undefined,
  documents: { list: () => Promise.resolve({ ok: true, value: { items: [row], fromReplica: false } }) },
} as unknown as XietongApi;

const todo = <TodoList empty="—" onOpen={() => undefined} selected={new Map()} onSelectionChange={() => undefined} />;

const history: HistoryEntry[] = [
  { at: '2026-12-01T08:00:00.000Z', actor: 'user-li', actorName: '李文', action: 'submit', label: '提交', from: 'draft', to: 'signoff', targets: ['user-wang'], targetNames: ['王建国'] },
  { at: '2026-12-02T08:00:00.000Z', actor: 'system', actorName: '系统', action: 'remind', label: '催办', from: 'signoff', to: 'signoff', reason: '已超过办理期限（2026-12-01）', reasonKey: 'workflow.pastDue', reasonParams: { dueDate: '2026-12-01' }, targetNames: ['王建国', '赵敏'] },
];

describe('domain words in the interface language', () => {
  it('lists a document\'s type, step and urgency in English', async () => {
    await renderWithApi(todo, api, 'en');
    const cells = (await screen.findByText('Sign-off')).closest('tr')!;
    expect(cells.textContent).toContain('Notice');
    expect(cells.textContent).toContain('Urgent');
    expect(cells.textContent.replace(row.title, '')).not.toMatch(/签发|通知|加急/);
    // The filters offer the types in English too.
    expect(screen.getByRole('option', { name: 'Request' })).toBeTruthy();
  });

  it('keeps the Chinese words in Chinese', async () => {
    await renderWithApi(todo, api, 'zh-CN');
    const cells = (await screen.findByText('签发')).closest('tr')!;
    expect(cells.textContent).toContain('通知');
    expect(cells.textContent).toContain('加急');
  });

  it('words the 流转记录 and the 下一步办理人 legend in English', async () => {
    await renderWithApi(<Timeline history={history} unitNames={new Map()} />, api, 'en');
    expect(screen.getByText('Submit')).toBeTruthy();
    expect(screen.getByText('Remind')).toBeTruthy();
    // The automatic 催办: by the system, past its due date, to two people — all in English.
    expect(screen.getByText('System')).toBeTruthy();
    expect(screen.getByText('Reason: Past the due date (2026-12-01)')).toBeTruthy();
    expect(screen.getByText('To: 王建国, 赵敏')).toBeTruthy();
    cleanup();
    await renderWithApi(<Timeline history={history} unitNames={new Map()} />, api, 'zh-CN');
    expect(screen.getByText('系统')).toBeTruthy();
    expect(screen.getByText('理由：已超过办理期限（2026-12-01）')).toBeTruthy();
    expect(screen.getByText('送：王建国、赵敏')).toBeTruthy();
    cleanup();
    await renderWithApi(
      <NextHolderPicker
        actions={[{ action: 'approve', label: '同意', recipients: { step: 'numbering', eligible: [{ id: 'zhao', name: '赵敏', roles: ['clerk'] }], defaults: ['zhao'], required: true } }]}
        choice={{}}
        onChange={() => undefined}
      />,
      api,
      'en',
    );
    expect(screen.getByRole('group', { name: 'Approve: next holder (Numbering)' })).toBeTruthy();
  });

  it('has a word for every code in both languages: the server\'s Chinese, and English without Chinese', () => {
    const zh = termResources('zh');
    const en = termResources('en');
    expect(zh.action).toEqual(workflowActionLabels);
    expect(zh.state).toEqual(workflowStateLabels);
    expect(zh.type).toEqual(documentTypeLabels);
    for (const group of (Object.keys(zh) as (keyof typeof zh)[]).filter((key) => key !== 'listSeparator' && key !== 'clauseSeparator')) {
      expect(Object.keys(en[group]).sort(), group).toEqual(Object.keys(zh[group]).sort());
      for (const word of Object.values(en[group] as Record<string, string>)) expect(word, `${group}: ${word}`).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('turns a Chinese step or action that came inside a message into English, exact words only', () => {
    expect(termInLanguage('编号', 'en', 'state')).toBe('Numbering');
    expect(termInLanguage('编号', 'en', 'action')).toBe('Assign number');
    expect(termInLanguage('签发', 'en', 'state')).toBe('Sign-off');
    expect(termInLanguage('编号', 'zh-CN', 'state')).toBe('编号');
    expect(termInLanguage('王建国', 'en')).toBe('王建国');
    expect(termInLanguage('签发文件', 'en')).toBe('签发文件');
  });

  it('words a refusal\'s steps, actions, holders and changed parts in English; names stay, Chinese unchanged', async () => {
    const en = await createI18n('en');
    const zh = await createI18n('zh-CN');
    const notHolder = errorText('workflow.notHolder', { step: '签发', label: '同意' });
    expect(describeError(notHolder, en.t)).toBe('You are not the holder of the current step (Sign-off), so you cannot Approve');
    expect(describeError(notHolder, zh.t)).toBe(notHolder.message);
    // The server's own refusal (its role word comes from the shared rule), read in English.
    const wrongRole = eligibleFor('signoff', 'unit-1', { id: 'zhao', name: '赵敏', unitId: 'unit-1', roles: ['clerk'] });
    expect(wrongRole && describeError(wrongRole, en.t)).toBe('赵敏 is not a leader of the unit and cannot handle Sign-off');
    expect(describeError(errorText('approval.contentChanged', { changed: '正文、公文要素' }), en.t)).toBe(
      "The approval record does not match the document now (the text, the document's particulars changed). Please sign again.",
    );
    expect(describeError(errorText('workflow.badTransition', { from: '编号', to: '用印' }), en.t)).toBe('Cannot send from Numbering to Sealing');
    // Text that is not wholly domain words (a title, a reason) is left as it came.
    expect(describeError(errorText('approval.verifyFailed', { reason: '签发文件被改动' }), en.t)).toBe('The approval signature did not verify: 签发文件被改动');
  });

  it('counts pages in English with the right plural, and once in Chinese', async () => {
    const en = await createI18n('en');
    const zh = await createI18n('zh-CN');
    expect(en.t('editor.stats', { characters: 18, count: 1 })).toBe('18 characters · about 1 page');
    expect(en.t('editor.stats', { characters: 900, count: 2 })).toBe('900 characters · about 2 pages');
    expect(zh.t('editor.stats', { characters: 18, count: 1 })).toBe('18 字 · 约 1 页');
  });
});

describe('a check\'s problems in the interface language', () => {
  const verification: ExchangeVerification = {
    exchangeId: 'x1',
    verdict: 'invalid',
    signatures: [
      {
        index: 1,
        verdict: 'invalid',
        signerName: '赵敏',
        onlySignaturesAppended: false,
        problems: ['签章后文件内容被改动', '签章后追加了签章以外的改动'],
        problemTexts: [errorText('verification.digest'), errorText('verification.modifications')],
      },
    ],
    problems: ['文件与分发时的摘要不一致：存储的文件被改动过'],
    problemTexts: [errorText('verification.fileAltered')],
    checkedAt: '2026-12-06T08:00:00.000Z',
    crlCount: 0,
  };
  const withVerification = (answer: ExchangeVerification) =>
    ({ ...api, exchange: { verification: () => Promise.resolve({ ok: true, value: answer }) } }) as unknown as XietongApi;

  it('words 签章验证\'s problems in English, and keeps an older server\'s Chinese list as it came', async () => {
    await renderWithApi(<VerificationPanel exchangeId="x1" />, withVerification(verification), 'en');
    expect(await screen.findByText('The file does not match its digest at dispatch: the stored file was changed')).toBeTruthy();
    expect(screen.getByText('The file\'s content was changed after signing; Changes other than signatures were added after signing')).toBeTruthy();
    cleanup();
    const { problemTexts: _overall, ...older } = verification;
    await renderWithApi(<VerificationPanel exchangeId="x1" />, withVerification({ ...older, signatures: verification.signatures.map(({ problemTexts: _s, ...s }) => s) }), 'en');
    expect(await screen.findByText('文件与分发时的摘要不一致：存储的文件被改动过')).toBeTruthy();
    cleanup();
    await renderWithApi(<VerificationPanel exchangeId="x1" />, withVerification(verification), 'zh-CN');
    expect(await screen.findByText('签章后文件内容被改动；签章后追加了签章以外的改动')).toBeTruthy();
  });
});

describe('修订 marks in the interface language', () => {
  it('names an author the server does not know as unknown, not 未知', async () => {
    const paragraphs: RevisionParagraph[] = [
      {
        kind: 'changed',
        segments: [
          { kind: 'insert', text: '新增', changeId: 'i:1:0:2', personId: '', personName: '未知', color: '#555555' },
          { kind: 'delete', text: '删去', changeId: 'd:2:0:2', personId: 'user-li', personName: '李文', color: '#aa0000' },
        ],
      },
    ];
    await renderWithApi(<RevisionsText paragraphs={paragraphs} />, api, 'en');
    expect(screen.getByTitle('Inserted by unknown')).toBeTruthy();
    expect(screen.getByTitle('Deleted by 李文')).toBeTruthy();
  });
});
