/**
 * 协同拟稿人: who writes the body together with the drafter while it is at 拟稿. Everyone sees the
 * names; the drafter (only they, only at 拟稿) opens the list of the unit's people with 协同拟稿人 —
 * one checkbox per person, named by their name — and saves it with 确定. The server decides: it
 * accepts only people of the unit, and gives them the body's write right at once.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalDocument } from '../../../shared/api';
import type { DirectoryUser } from '../../../shared/http/directory';
import type { DocumentView } from '../../../shared/http/documents';
import { useApi } from '../../app/apiContext';
import { describeError } from '../../i18n/errors';
import { joinList } from '../../i18n/terms';

export interface CoDraftersPanelProps {
  readonly view: DocumentView;
  readonly meId: string;
  readonly onSaved: (saved: LocalDocument) => void;
}

export function CoDraftersPanel({ view, meId, onSaved }: CoDraftersPanelProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [people, setPeople] = useState<DirectoryUser[] | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = view.coDrafters ?? [];
  const mayChoose = view.kind === 'outgoing' && view.state === 'draft' && view.drafterId === meId;
  if (!mayChoose && current.length === 0) return null;

  const open = async () => {
    setError(null);
    const result = await api.directory.users({ unitId: view.unitId });
    if (!result.ok) {
      setError(describeError(result.error, t));
      return;
    }
    setPeople(result.value.items.filter((person) => person.id !== view.drafterId));
    setChosen(current.map((person) => person.id));
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    const result = await api.documents.setCoDrafters({ id: view.id, userIds: chosen });
    setBusy(false);
    if (!result.ok) {
      setError(describeError(result.error, t));
      return;
    }
    setPeople(null);
    onSaved(result.value);
  };

  return (
    <div className="co-drafters">
      <p className="co-drafters__names">
        {t('docs.coDrafters.label')}：{current.length > 0 ? joinList(current.map((person) => person.name), t) : t('docs.coDrafters.none')}
        {mayChoose && !people ? (
          <button type="button" className="panel__action" onClick={() => void open()}>
            {t('docs.coDrafters.open')}
          </button>
        ) : null}
      </p>
      {people ? (
        <fieldset className="field units-picker" aria-label={t('docs.coDrafters.open')}>
          <legend>{t('docs.coDrafters.legend')}</legend>
          {people.length === 0 ? <span className="field__hint">{t('docs.coDrafters.nobody')}</span> : null}
          {people.map((person) => (
            <label key={person.id} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(person.id)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, person.id] : chosen.filter((id) => id !== person.id))}
              />
              {person.name}
            </label>
          ))}
          <div className="co-drafters__buttons">
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void save()}>
              {t('docs.coDrafters.confirm')}
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => setPeople(null)}>
              {t('docs.cancel')}
            </button>
          </div>
        </fieldset>
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
