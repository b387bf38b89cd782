/**
 * The domain's words — workflow steps and actions, the 15 document types, 紧急程度, 密级, exchange and
 * verification states — in the interface language. zh-CN takes them from src/shared (the words the
 * server, the PDF and the 处理笺 use, so the Chinese interface is unchanged); English has its own.
 * Document content (the PDF, the 处理笺, Word files) always keeps the Chinese terms GB/T 9704 prints.
 */
/** What the shorthands need of i18next's `t`: a key in, the text out. */
type Translate = (key: string) => string;
import {
  documentKindLabels,
  documentTypeLabels,
  secrecyLevelLabels,
  urgencyLabels,
  workflowActionLabels,
  workflowStateLabels,
  stepHolderLabels,
  type DocumentKind,
  type DocumentType,
  type SecrecyLevel,
  type StepHolder,
  type Urgency,
  type WorkflowAction,
  type WorkflowState,
} from '../../shared/domain/documents';
import { approvalPartLabels, type ApprovalPart } from '../../shared/domain/documents/approvalRecord';
import { sheetBoxes, type SheetBoxName } from '../../shared/domain/documents/sheetOpinions';
import { exchangeStatusLabels, signatureVerdictLabels, unitGroupLabels, type ExchangeStatus, type SignatureVerdict, type UnitGroup } from '../../shared/domain/exchange';

export type { ExchangeStatus };
export type CommandStatus = 'pending' | 'sent' | 'rejected';

interface Terms {
  readonly action: Record<WorkflowAction, string>;
  readonly state: Record<WorkflowState, string>;
  readonly type: Record<DocumentType, string>;
  readonly kind: Record<DocumentKind, string>;
  readonly urgency: Record<Urgency, string>;
  readonly secrecy: Record<SecrecyLevel, string>;
  readonly exchangeStatus: Record<ExchangeStatus, string>;
  readonly commandStatus: Record<CommandStatus, string>;
  readonly verdict: Record<SignatureVerdict, string>;
  readonly unitGroup: Record<UnitGroup, string>;
  /** The boxes of the 处理笺 (发文稿纸 / 收文处理笺). */
  readonly sheetBox: Record<SheetBoxName, string>;
  /** Who may hold a step, as a refusal names them. */
  readonly holder: Record<StepHolder, string>;
  /** What changed since 签发, as a refusal names it. */
  readonly part: Record<ApprovalPart, string>;
}

const zh: Terms = {
  action: workflowActionLabels,
  state: workflowStateLabels,
  type: documentTypeLabels,
  kind: documentKindLabels,
  // A word in every row rather than a blank: 平件, 非密.
  urgency: { ...urgencyLabels, normal: '平件' },
  secrecy: { ...secrecyLevelLabels, none: '非密' },
  exchangeStatus: exchangeStatusLabels,
  commandStatus: { pending: '待发送', sent: '已发送', rejected: '被拒绝' },
  verdict: signatureVerdictLabels,
  unitGroup: unitGroupLabels,
  sheetBox: Object.fromEntries([...sheetBoxes.outgoing, ...sheetBoxes.incoming].map(({ box, label }) => [box, label])) as Record<SheetBoxName, string>,
  holder: stepHolderLabels,
  part: approvalPartLabels,
};

const en: Terms = {
  action: {
    submit: 'Submit',
    approve: 'Approve',
    return: 'Return',
    withdraw: 'Withdraw',
    transfer: 'Transfer',
    number: 'Assign number',
    seal: 'Seal',
    dispatch: 'Dispatch',
    archive: 'Archive',
    register: 'Register',
    propose: 'Propose',
    instruct: 'Instruct',
    assign: 'Assign',
    circulate: 'Circulate',
    read: 'Mark as read',
    complete: 'Complete',
    remind: 'Remind',
  },
  state: {
    draft: 'Drafting',
    review: 'Review',
    countersign: 'Countersigning',
    signoff: 'Sign-off',
    numbering: 'Numbering',
    sealing: 'Sealing',
    dispatching: 'Dispatching',
    dispatched: 'Dispatched',
    registering: 'Registering',
    proposing: 'Proposing',
    instructing: 'Instructing',
    assigning: 'Assigning',
    handling: 'Handling',
    completed: 'Completed',
    archived: 'Archived',
  },
  type: {
    resolution: 'Resolution',
    decision: 'Decision',
    order: 'Order',
    communique: 'Communiqué',
    announcement: 'Announcement',
    publicNotice: 'Public notice',
    opinion: 'Opinion',
    notice: 'Notice',
    bulletin: 'Bulletin',
    report: 'Report',
    request: 'Request',
    reply: 'Reply',
    motion: 'Motion',
    letter: 'Letter',
    minutes: 'Minutes',
  },
  kind: { outgoing: 'Outgoing', incoming: 'Incoming' },
  urgency: { normal: 'Normal', urgent: 'Urgent', extraUrgent: 'Extra urgent' },
  secrecy: { none: 'Unclassified', secret: 'Secret', confidential: 'Confidential', topSecret: 'Top secret' },
  exchangeStatus: { pending: 'Awaiting receipt', received: 'Received', returned: 'Returned', withdrawn: 'Withdrawn' },
  commandStatus: { pending: 'Waiting to send', sent: 'Sent', rejected: 'Refused' },
  verdict: { valid: 'Valid', invalid: 'Invalid', revoked: 'Revoked', untrusted: 'Untrusted' },
  unitGroup: { districts: 'District governments', departments: 'City departments', others: 'Other units' },
  sheetBox: { draft: 'Drafting', review: 'Review', countersign: 'Countersigning', signoff: 'Sign-off', register: 'Registration', propose: 'Proposal', instruct: 'Instruction', handle: 'Handling' },
  holder: { unitMember: 'member of the unit', countersigner: 'countersigner', unitLeader: 'leader of the unit', unitClerk: 'clerk of the unit' },
  part: { body: 'the text', fields: 'the document\'s particulars' },
};

/** How a list of terms or names is joined in each language (a refusal's {changed}: 正文、公文要素). */
const listSeparator = { zh: '、', en: ', ' } as const;
/** How sentences of a list are joined (the problems of a check): 。/； in Chinese, '; ' in English. */
const clauseSeparator = { zh: '；', en: '; ' } as const;

/** The terms as i18n resources under `terms` (e.g. `terms.action.submit`). */
export function termResources(language: 'zh' | 'en'): Terms & { readonly listSeparator: string; readonly clauseSeparator: string } {
  return { ...(language === 'zh' ? zh : en), listSeparator: listSeparator[language], clauseSeparator: clauseSeparator[language] };
}

/** Names or words as one list in the language of `t`: 王建国、赵敏 / 王建国, 赵敏. */
export const joinList = (items: readonly string[], t: Translate): string => items.join(t('terms.listSeparator'));
/** Sentences as one line in the language of `t` (a check's problems). */
export const joinClauses = (items: readonly string[], t: Translate): string => items.join(t('terms.clauseSeparator'));

/**
 * English for a Chinese domain word that arrived as text (an error's `{step}` parameter, a history
 * entry's label): exact words only, never parts of text; anything else is returned as it is. Words
 * that name both a step and its action (编号, 用印 …) read as `prefer` says.
 */
function englishMap(order: readonly (keyof Terms)[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const group of order) {
    const words = zh[group] as Record<string, string>;
    for (const [code, word] of Object.entries(words)) if (word && !map.has(word)) map.set(word, (en[group] as Record<string, string>)[code] ?? word);
  }
  return map;
}
const groups = Object.keys(zh) as (keyof Terms)[];
const englishAsStep = englishMap(['state', ...groups]);
const englishAsAction = englishMap(['action', ...groups]);

/** The i18n key of a Chinese domain word (`terms.state.signoff` for 签发 when a step is meant). */
function keyMap(order: readonly (keyof Terms)[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const group of order) {
    for (const [code, word] of Object.entries(zh[group] as Record<string, string>)) if (word && !map.has(word)) map.set(word, `terms.${group}.${code}`);
  }
  return map;
}
const keyAsStep = keyMap(['state', ...groups]);
const keyAsAction = keyMap(['action', ...groups]);

/**
 * A parameter that arrived as Chinese domain words — one (签发) or a list (正文、公文要素) — in the
 * language of `t`; a value that is not wholly such words (a name, a title, a reason) is kept as it is.
 */
export function wordsInLanguage(value: string, t: Translate, prefer: 'state' | 'action' = 'action'): string {
  const keys = value.split(listSeparator.zh).map((word) => (prefer === 'state' ? keyAsStep : keyAsAction).get(word));
  if (keys.some((key) => key === undefined)) return value;
  return keys.map((key) => t(key ?? '')).join(t('terms.listSeparator'));
}

export function termInLanguage(word: string, language: string, prefer: 'state' | 'action' = 'action'): string {
  if (language !== 'en') return word;
  return (prefer === 'state' ? englishAsStep : englishAsAction).get(word) ?? word;
}

/** Shorthands for components: `terms(t).action('submit')`. */
export function terms(t: Translate) {
  return {
    action: (action: WorkflowAction) => t(`terms.action.${action}`),
    state: (state: WorkflowState) => t(`terms.state.${state}`),
    type: (type: DocumentType) => t(`terms.type.${type}`),
    kind: (kind: DocumentKind) => t(`terms.kind.${kind}`),
    urgency: (urgency: Urgency) => t(`terms.urgency.${urgency}`),
    secrecy: (level: SecrecyLevel) => t(`terms.secrecy.${level}`),
    exchangeStatus: (status: ExchangeStatus) => t(`terms.exchangeStatus.${status}`),
    commandStatus: (status: CommandStatus) => t(`terms.commandStatus.${status}`),
    verdict: (verdict: SignatureVerdict) => t(`terms.verdict.${verdict}`),
    unitGroup: (group: UnitGroup) => t(`terms.unitGroup.${group}`),
    sheetBox: (box: SheetBoxName) => t(`terms.sheetBox.${box}`),
  };
}
