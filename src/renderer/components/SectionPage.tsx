import type { ReactNode } from 'react';

/** The frame of one section of the main window: its title, one line saying what it is for, content. */
export function SectionPage({ title, description, actions, children }: { title: string; description: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="section" aria-labelledby="section-title">
      <div className="section__header">
        <div>
          <h1 id="section-title" className="section__title">
            {title}
          </h1>
          <p className="section__description">{description}</p>
        </div>
        {actions ? <div className="section__actions">{actions}</div> : null}
      </div>
      <div className="section__body">{children}</div>
    </section>
  );
}
