/** The product mark: a seal-like red ring with 协. Decorative; the product name beside it is the text. */
export function Emblem({ size = 36 }: { size?: number }) {
  return (
    <svg className="emblem" width={size} height={size} viewBox="0 0 40 40" aria-hidden="true" focusable="false">
      <circle cx="20" cy="20" r="17.5" fill="none" stroke="currentColor" strokeWidth="2.5" />
      <circle cx="20" cy="20" r="14" fill="none" stroke="currentColor" strokeWidth="0.8" />
      <text x="20" y="26.5" textAnchor="middle" fontSize="17" fontWeight="700" fill="currentColor">
        协
      </text>
    </svg>
  );
}
