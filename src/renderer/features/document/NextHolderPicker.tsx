/**
 * 下一步办理人: for each action that hands the document to people, the people the server would
 * accept for it (its `recipients`, from the shared rule actionRecipients), the ones it sends to by
 * default ticked. Nothing is guessed here: an action the server routes by itself shows no choice.
 */
import { useTranslation } from 'react-i18next';
import type { ActionRecipients, WorkflowAction } from '../../../shared/domain/documents';
import { terms } from '../../i18n/terms';
import type { AvailableAction } from '../../../shared/http/documents';

/** The people chosen per action; an action absent here gets its `defaults`. */
export type NextHolderChoice = Partial<Record<WorkflowAction, readonly string[]>>;

/** Who `action` goes to as chosen: the person's choice, else the server's default. */
export function chosenFor(choice: NextHolderChoice, action: AvailableAction): readonly string[] {
  return choice[action.action] ?? action.recipients?.defaults ?? [];
}

export interface NextHolderPickerProps {
  readonly actions: readonly AvailableAction[];
  readonly choice: NextHolderChoice;
  readonly onChange: (action: WorkflowAction, ids: readonly string[]) => void;
  /** The view is this computer's copy (offline): an empty list may only mean the unit's people were never kept here. */
  readonly fromReplica?: boolean;
}

export function NextHolderPicker({ actions, choice, onChange, fromReplica = false }: NextHolderPickerProps) {
  const { t } = useTranslation();
  const choosing = actions.filter((a): a is AvailableAction & { recipients: ActionRecipients } => a.recipients !== undefined);
  if (choosing.length === 0) return null;
  return (
    <>
      {choosing.map((a) => {
        const { recipients } = a;
        const chosen = chosenFor(choice, a);
        const single = recipients.max === 1;
        const legend =
          a.action === 'transfer'
            ? t('nextHolder.legendTransfer')
            : a.action === 'circulate'
              ? t('nextHolder.legendCirculate')
              : recipients.step
                ? t('nextHolder.legendStep', { action: terms(t).action(a.action), step: terms(t).state(recipients.step) })
                : t('nextHolder.legend', { action: terms(t).action(a.action) });
        return (
          <fieldset key={a.action} className="field units-picker" aria-label={legend}>
            <legend>{legend}</legend>
            {recipients.eligible.length === 0 ? <span className="field__hint">{t(fromReplica ? 'nextHolder.nobodyKept' : 'nextHolder.nobody')}</span> : null}
            {recipients.eligible.map((person) => (
              <label key={person.id} className="check">
                <input
                  type={single ? 'radio' : 'checkbox'}
                  name={`next-holder-${a.action}`}
                  checked={chosen.includes(person.id)}
                  onChange={(e) => {
                    if (single) onChange(a.action, [person.id]);
                    else onChange(a.action, e.target.checked ? [...chosen, person.id] : chosen.filter((id) => id !== person.id));
                  }}
                />
                {person.name}
                {person.roles.includes('leader') ? t('nextHolder.leader') : person.roles.includes('clerk') ? t('nextHolder.clerk') : ''}
              </label>
            ))}
            {recipients.step === undefined ? <span className="field__hint">{t('nextHolder.hintMany')}</span> : null}
            {!recipients.required && chosen.length === 0 ? <span className="field__hint">{t('nextHolder.hintOptional')}</span> : null}
          </fieldset>
        );
      })}
    </>
  );
}
