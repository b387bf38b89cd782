/**
 * On the document view, once the leader signed the approval (批量签批): who signed and whether the body
 * and fields are still the approved ones — "签发内容一致" — or what changed since (the server compares,
 * number and date aside).
 */
import { useTranslation } from 'react-i18next';
import type { ApprovalStatus } from '../../../shared/http/documents';
import { joinList } from '../../i18n/terms';

export function ApprovalConsistency({ approval }: { approval: ApprovalStatus | undefined }) {
  const { t } = useTranslation();
  if (!approval) return null;
  const what = joinList(
    approval.changed.map((name) => (name === 'body' ? t('batch.body') : t(`docs.field.${name}`, { defaultValue: name }))),
    t,
  );
  return (
    <>
      <dt>{t('batch.approval')}</dt>
      <dd>
        {approval.signerName} · <span role="status">{approval.consistent ? t('batch.consistent') : t('batch.changedSince', { what })}</span>
      </dd>
    </>
  );
}
