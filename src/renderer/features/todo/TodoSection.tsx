/**
 * The 待办 section: the to-do list with selection and 批量签批, the document opened from it, and the
 * batch view. An unfinished batch (the window was closed, the network lost) is offered again here.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BatchStatus } from '../../../shared/api/batchSignoff.contract';
import { useApi } from '../../app/apiContext';
import { SectionPage } from '../../components/SectionPage';
import { BatchView } from '../batch';
import { DocumentView } from '../document';
import { TodoList } from './TodoList';

type Mode = { kind: 'list' } | { kind: 'document'; id: string } | { kind: 'batch'; documents: Array<{ id: string; title: string }> } | { kind: 'resume'; batchId: string };

export function TodoSection() {
  const { t } = useTranslation();
  const api = useApi();
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [unfinished, setUnfinished] = useState<BatchStatus | null>(null);

  useEffect(() => {
    if (mode.kind !== 'list') return;
    let live = true;
    void api.batchSignoff.status({}).then((result) => {
      if (!live) return;
      const status = result.ok ? result.value : null;
      setUnfinished(status && status.done + status.failed < status.total ? status : null);
    });
    return () => {
      live = false;
    };
  }, [api, mode.kind]);

  const back = () => setMode({ kind: 'list' });
  const label = t('sections.todo.label');

  if (mode.kind === 'document') {
    return (
      <section className="section section--document" aria-label={label}>
        <DocumentView id={mode.id} onBack={back} />
      </section>
    );
  }
  if (mode.kind === 'batch' || mode.kind === 'resume') {
    return (
      <section className="section section--batch" aria-label={label}>
        <BatchView
          {...(mode.kind === 'batch' ? { documents: mode.documents } : { batchId: mode.batchId })}
          onClose={() => {
            setSelected(new Map());
            back();
          }}
        />
      </section>
    );
  }

  const actions = (
    <button
      type="button"
      className="button button--primary"
      disabled={selected.size === 0}
      onClick={() => setMode({ kind: 'batch', documents: [...selected].map(([id, title]) => ({ id, title })) })}
    >
      {t('batch.open')}
    </button>
  );
  return (
    <SectionPage title={label} description={t('sections.todo.description')} actions={actions}>
      {unfinished ? (
        <p className="notice notice--warning" role="status">
          {t('batch.resumeNotice', { done: unfinished.done, total: unfinished.total })}{' '}
          <button type="button" className="button button--secondary" onClick={() => setMode({ kind: 'resume', batchId: unfinished.batch.id })}>
            {t('batch.resume')}
          </button>
        </p>
      ) : null}
      {selected.size > 0 ? <p className="batch-selected">{t('batch.selected', { count: selected.size })}</p> : null}
      <TodoList empty={t('sections.todo.empty')} onOpen={(id) => setMode({ kind: 'document', id })} selected={selected} onSelectionChange={setSelected} />
    </SectionPage>
  );
}
