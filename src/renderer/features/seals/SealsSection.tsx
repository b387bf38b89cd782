/**
 * 印章: the unit's electronic seals — each drawn as it appears on documents, the certificate it is
 * bound to, who may apply it, and its 用印记录. Admins create seals, grant and revoke holders, and
 * disable or re-enable a seal (and may look at another unit's). Everything is decided by the server.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../../../shared/api/session.contract';
import type { DirectoryUnit, DirectoryUser } from '../../../shared/http/directory';
import type { SealView } from '../../../shared/http/seals';
import { useApi } from '../../app/apiContext';
import { EmptyState } from '../../components/EmptyState';
import { SectionPage } from '../../components/SectionPage';
import { CreateSealForm } from './CreateSealForm';
import { SealCard } from './SealCard';
import '../../styles/documents.css';
import './seals.css';
import { describeError } from '../../i18n/errors';

export function SealsSection() {
  const { t } = useTranslation();
  const api = useApi();
  const [session, setSession] = useState<Session | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [units, setUnits] = useState<DirectoryUnit[]>([]);
  const [people, setPeople] = useState<DirectoryUser[]>([]);
  const [seals, setSeals] = useState<SealView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const isAdmin = session?.user.roles.includes('admin') ?? false;

  useEffect(() => {
    void api.session.current({}).then((result) => {
      if (!result.ok || !result.value) return;
      setSession(result.value);
      setUnitId(result.value.user.unitId);
      if (result.value.user.roles.includes('admin')) void api.directory.units({}).then((r) => r.ok && setUnits(r.value.items));
    });
  }, [api]);

  const load = useCallback(async () => {
    if (!unitId) return;
    const result = await api.seals.list({ unitId });
    if (!result.ok) {
      setError(describeError(result.error, t));
      setSeals((current) => current ?? []);
      return;
    }
    setError(null);
    setSeals(result.value.items);
  }, [api, unitId]);

  useEffect(() => {
    setSeals(null);
    void load();
    if (unitId && isAdmin) void api.directory.users({ unitId }).then((r) => r.ok && setPeople(r.value.items));
  }, [api, load, unitId, isAdmin]);

  const replace = (seal: SealView) => setSeals((current) => (current ?? []).map((s) => (s.id === seal.id ? seal : s)));
  const unitName = units.find((u) => u.id === unitId)?.name ?? session?.user.unitName ?? '';

  const actions = isAdmin ? (
    <>
      {units.length > 1 ? (
        <label className="field field--inline">
          <span>{t('seals.unit')}</span>
          <select value={unitId ?? ''} onChange={(e) => setUnitId(e.target.value)}>
            {units.map((unit) => (
              <option key={unit.id} value={unit.id}>
                {unit.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <button type="button" className="button button--primary" aria-expanded={creating} onClick={() => setCreating((v) => !v)}>
        {t('seals.create.open')}
      </button>
    </>
  ) : undefined;

  return (
    <SectionPage title={t('sections.seals.label')} description={t('sections.seals.description')} actions={actions}>
      <div className="seals">
        {creating && unitId ? (
          <CreateSealForm
            key={unitId}
            unitId={unitId}
            unitName={unitName}
            onCancel={() => setCreating(false)}
            onCreated={(seal) => {
              setCreating(false);
              setNotice(t('seals.create.created', { name: seal.name }));
              setSeals((current) => [...(current ?? []), seal]);
            }}
          />
        ) : null}
        {notice ? (
          <p className="notice notice--success" role="status">
            {notice}
          </p>
        ) : null}
        {error ? (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        ) : null}
        {seals === null ? (
          <p className="loading">{t('app.loading')}</p>
        ) : seals.length === 0 ? (
          <EmptyState>{t('sections.seals.empty')}</EmptyState>
        ) : (
          seals.map((seal) => <SealCard key={seal.id} seal={seal} isAdmin={isAdmin} people={people} onChanged={replace} />)
        )}
      </div>
    </SectionPage>
  );
}
