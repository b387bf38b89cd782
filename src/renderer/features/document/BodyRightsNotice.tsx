/**
 * What the server said about this person's edits to a document's body (issue 15): the body became
 * read-only because the document moved on, or an edit — typed live or made offline and replayed —
 * was refused. The editor locks at once, whatever the document view last said, and a refused edit
 * is shown as such: it stays visible in the editor, and this notice says it exists on this device only.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomRefusal } from '../../../shared/api/offline.contract';

export interface BodyRefusals {
  /** The server took the write right away: the editor must not accept typing. */
  readonly readOnly: boolean;
  /** An edit of this person was refused and is on this device only; until dismissed. */
  readonly refused: boolean;
  /** Stable: hand it to the provider. */
  readonly report: (reason: RoomRefusal) => void;
  readonly dismiss: () => void;
}

/** Tracks the server's refusals; `mayEdit` is what the document view says (a 退回 gives the right back). */
export function useBodyRefusals(mayEdit: boolean): BodyRefusals {
  const [readOnly, setReadOnly] = useState(false);
  const [refused, setRefused] = useState(false);
  const previous = useRef(mayEdit);
  useEffect(() => {
    // The view says the person holds the document again (it came back to them): the server agrees.
    if (mayEdit && !previous.current) setReadOnly(false);
    previous.current = mayEdit;
  }, [mayEdit]);
  const report = useCallback((reason: RoomRefusal) => {
    setReadOnly(true);
    if (reason === 'update-refused') setRefused(true);
  }, []);
  const dismiss = useCallback(() => setRefused(false), []);
  return { readOnly, refused, report, dismiss };
}

export function BodyRightsNotice({ refusals }: { refusals: BodyRefusals }) {
  const { t } = useTranslation();
  if (refusals.refused) {
    return (
      <div className="notice notice--error" role="alert">
        <p>{t('bodyRights.refused')}</p>
        <button type="button" className="button button--secondary" onClick={refusals.dismiss}>
          {t('bodyRights.dismiss')}
        </button>
      </div>
    );
  }
  if (refusals.readOnly) {
    return (
      <p className="notice notice--info" role="status">
        {t('bodyRights.readOnly')}
      </p>
    );
  }
  return null;
}
