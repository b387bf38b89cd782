/**
 * A section of the main window built on one box: the list, or the document opened from it (the
 * section keeps which one, so 返回列表 comes back to the same list). 发文 adds 拟稿, 收文 a search box.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentBox } from '../../../shared/http/documents';
import { SectionPage } from '../../components/SectionPage';
import { DocumentList } from './DocumentList';
import { DocumentView } from './DocumentView';
import { NewDraftForm } from './NewDraftForm';
import { SearchResults } from './SearchResults';

export interface BoxSectionProps {
  section: 'todo' | 'done' | 'outgoing' | 'incoming';
  box: DocumentBox;
  /** 发文 lets people draft. */
  canDraft?: boolean;
  /** 收文 has a search box. */
  searchable?: boolean;
}

type Mode = { kind: 'list' } | { kind: 'draft' } | { kind: 'document'; id: string };

export function BoxSection({ section, box, canDraft, searchable }: BoxSectionProps) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [query, setQuery] = useState('');
  const back = () => setMode({ kind: 'list' });

  if (mode.kind === 'document') {
    return (
      <section className="section section--document" aria-label={t(`sections.${section}.label`)}>
        <DocumentView id={mode.id} onBack={back} />
      </section>
    );
  }

  let actions: ReactNode = null;
  if (canDraft && mode.kind === 'list') {
    actions = (
      <button type="button" className="button button--primary" onClick={() => setMode({ kind: 'draft' })}>
        {t('docs.draft.open')}
      </button>
    );
  }
  return (
    <SectionPage title={t(`sections.${section}.label`)} description={t(`sections.${section}.description`)} actions={actions}>
      {mode.kind === 'draft' ? (
        <NewDraftForm onCreated={(id) => setMode({ kind: 'document', id })} onCancel={back} />
      ) : (
        <>
          {searchable ? (
            <div className="search-box" role="search">
              <label className="field field--inline">
                <span>{t('docs.search.label')}</span>
                <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('docs.search.placeholder')} />
              </label>
            </div>
          ) : null}
          {searchable && query.trim() ? (
            <SearchResults query={query.trim()} onOpen={(id) => setMode({ kind: 'document', id })} />
          ) : (
            <DocumentList box={box} empty={t(`sections.${section}.empty`)} onOpen={(id) => setMode({ kind: 'document', id })} />
          )}
        </>
      )}
    </SectionPage>
  );
}
