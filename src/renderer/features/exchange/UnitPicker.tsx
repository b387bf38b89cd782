/**
 * 分发 to many units at once: the directory's units with a search box and groups derived from it
 * (各区人民政府, 市政府各部门, 其他单位); each unit a checkbox named by the unit, a group button adds all
 * its units that match the search.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UNIT_GROUPS, unitGroupOf, unitMatches } from '../../../shared/domain/exchange/unitGroups';
import { terms } from '../../i18n/terms';
import type { DirectoryUnit } from '../../../shared/http/directory';

export interface UnitPickerProps {
  units: readonly DirectoryUnit[];
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
  legend: string;
}

export function UnitPicker({ units, chosen, onChange, legend }: UnitPickerProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const shown = useMemo(() => units.filter((u) => unitMatches(u, query)), [units, query]);
  const groups = useMemo(
    () => UNIT_GROUPS.map((group) => ({ group, ids: shown.filter((u) => unitGroupOf(u.name) === group).map((u) => u.id) })).filter((g) => g.ids.length > 0),
    [shown],
  );
  const add = (ids: readonly string[]) => onChange([...new Set([...chosen, ...ids])]);

  return (
    <fieldset className="field units-picker">
      <legend>{legend}</legend>
      <div className="units-picker__tools">
        <label className="field">
          <span>{t('exchangeDesk.unitSearch')}</span>
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <div role="group" aria-label={t('exchangeDesk.groups')} className="units-picker__groups">
          {groups.map(({ group, ids }) => (
            <button key={group} type="button" className="button button--secondary" onClick={() => add(ids)}>
              {t('exchangeDesk.group', { name: terms(t).unitGroup(group), count: ids.length })}
            </button>
          ))}
          <button type="button" className="link-button" onClick={() => onChange([])}>
            {t('exchangeDesk.clearUnits')}
          </button>
        </div>
        <p className="muted" role="status">
          {t('exchangeDesk.chosenUnits', { count: chosen.length })}
        </p>
      </div>
      <div className="units-picker__list">
        {shown.map((u) => (
          <label key={u.id} className="check">
            <input type="checkbox" checked={chosen.includes(u.id)} onChange={(e) => onChange(e.target.checked ? [...chosen, u.id] : chosen.filter((x) => x !== u.id))} />
            {u.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
