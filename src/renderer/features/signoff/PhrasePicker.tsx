/**
 * 常用语 beside the 意见 box: one click opens the person's saved phrases, one more puts a phrase into
 * the opinion; 编辑常用语 edits the list (one phrase a line), saved to their account on the server.
 * The phrases are shown only while the picker is open, so their words never crowd the action buttons.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/apiContext';
import { describeError } from '../../i18n/errors';

export function PhrasePicker({ onPick, disabled }: { onPick: (phrase: string) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [phrases, setPhrases] = useState<string[] | null>(null);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const listId = useId();

  useEffect(() => {
    if (!open || phrases) return;
    let live = true;
    void api.documents.phrases({}).then((result) => {
      if (!live) return;
      if (result.ok) setPhrases(result.value.phrases);
      else setError(describeError(result.error, t));
    });
    return () => {
      live = false;
    };
  }, [api, open, phrases]);

  const save = async () => {
    setSaving(true);
    setError(null);
    const list = draft
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const result = await api.documents.savePhrases({ phrases: [...new Set(list)] });
    setSaving(false);
    if (!result.ok) {
      // The text stays as typed: nothing is lost on a refusal.
      setError(describeError(result.error, t));
      return;
    }
    setPhrases(result.value.phrases);
    setEditing(false);
  };

  return (
    <div className="phrases">
      <button
        type="button"
        className="link-button"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        disabled={disabled}
        onClick={() => {
          setOpen(!open);
          setEditing(false);
          setError(null);
        }}
      >
        {t('phrases.open')}
      </button>
      {open ? (
        <div className="phrases__panel" id={listId} role="group" aria-label={t('phrases.title')}>
          {editing ? (
            <>
              <label className="field">
                <span>{t('phrases.editLabel')}</span>
                <textarea rows={6} value={draft} onChange={(e) => setDraft(e.target.value)} />
              </label>
              <div className="phrases__tools">
                <button type="button" className="button button--primary" onClick={() => void save()} disabled={saving}>
                  {saving ? t('phrases.saving') : t('phrases.save')}
                </button>
                <button type="button" className="button button--secondary" onClick={() => setEditing(false)} disabled={saving}>
                  {t('phrases.cancel')}
                </button>
              </div>
            </>
          ) : (
            <>
              {phrases === null && !error ? <p className="muted">{t('app.loading')}</p> : null}
              {phrases && phrases.length === 0 ? <p className="muted">{t('phrases.empty')}</p> : null}
              {phrases && phrases.length > 0 ? (
                <ul className="phrases__list">
                  {phrases.map((phrase) => (
                    <li key={phrase}>
                      <button
                        type="button"
                        className="phrases__phrase"
                        aria-label={t('phrases.use', { phrase })}
                        onClick={() => {
                          onPick(phrase);
                          setOpen(false);
                        }}
                      >
                        {phrase}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
              {phrases ? (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setDraft(phrases.join('\n'));
                    setEditing(true);
                  }}
                >
                  {t('phrases.edit')}
                </button>
              ) : null}
            </>
          )}
          {error ? (
            <p className="notice notice--error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
