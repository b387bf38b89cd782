import type { ReactNode } from 'react';

/** What a section shows when it has nothing yet: one helpful sentence, never invented content. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="empty-state">
      <svg className="empty-state__icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
        <rect x="10" y="6" width="28" height="36" rx="2" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M16 16h16M16 22h16M16 28h10" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <p className="empty-state__text">{children}</p>
    </div>
  );
}
