/**
 * The submit of a form built on DocumentFieldsInputs (拟稿, 修改信息): a 标题 is required before
 * anything is sent, the form is busy while the call runs, and a refusal is shown as the form's error
 * with what was typed left in place.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../../shared/api';
import { describeError } from '../../i18n/errors';

export interface FieldsSubmit {
  busy: boolean;
  error: string | null;
  setError: (error: string | null) => void;
  submit: (event: FormEvent) => Promise<void>;
}

/** `send` makes the call with the form's current values; `onDone` gets what it returned on success. */
export function useFieldsSubmit<T>(title: string, send: () => Promise<Result<T>>, onDone: (value: T) => void): FieldsSubmit {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setError(t('docs.draft.titleRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    const result = await send();
    setBusy(false);
    if (!result.ok) {
      setError(describeError(result.error, t));
      return;
    }
    onDone(result.value);
  };

  return { busy, error, setError, submit };
}
