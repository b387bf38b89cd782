/** 加载更多 under a paged list (正在加载… while the next page is on its way). */
import { useTranslation } from 'react-i18next';

export function LoadMoreButton({ loading, onLoadMore }: { loading: boolean; onLoadMore: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="doc-list__more">
      <button type="button" className="button button--secondary" onClick={onLoadMore} disabled={loading}>
        {loading ? t('app.loading') : t('docs.loadMore')}
      </button>
    </div>
  );
}
