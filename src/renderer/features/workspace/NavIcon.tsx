import type { SectionId } from './sections';

const paths: Record<SectionId, string> = {
  todo: 'M5 4h14v16H5z M8 9l2 2 4-4 M8 15h8',
  done: 'M5 4h14v16H5z M8 12l3 3 5-6',
  outgoing: 'M4 12h11 M11 7l5 5-5 5 M19 4v16',
  incoming: 'M20 12H9 M13 7l-5 5 5 5 M5 4v16',
  exchange: 'M4 8h14 M14 4l4 4-4 4 M20 16H6 M10 12l-4 4 4 4',
  messages: 'M4 5h16v11H9l-5 4z',
  seals: 'M12 3a5 5 0 0 1 0 10a5 5 0 0 1 0-10 M8 13l-1 4h10l-1-4 M5 20h14',
};

/** A line icon for a navigation entry; decorative (the label names the entry). */
export function NavIcon({ section }: { section: SectionId }) {
  return (
    <svg className="nav__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={paths[section]} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
