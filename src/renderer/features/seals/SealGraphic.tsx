/**
 * The red round official seal (公章) drawn as SVG from the unit's name, with the geometry of the
 * signing library's `officialSealContent` (src/signing/seal/officialSeal.ts): ring 3.5 % of the
 * size, a star of radius 16 %, the name clockwise along an upper arc of 150°–290° depending on its
 * length, condensed characters, optional text below the star. What the 印章 section shows is what
 * 用印 puts into the PDF. An uploaded seal image is shown as it is.
 */
import type { SealAppearance } from '../../../shared/http/seals';

const RED = 'rgb(219, 20, 26)';

function starPoints(cx: number, cy: number, outer: number): string {
  const inner = outer * 0.382;
  const points: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const r = i % 2 === 0 ? outer : inner;
    const angle = (Math.PI / 5) * i;
    points.push(`${(cx + r * Math.sin(angle)).toFixed(2)},${(cy - r * Math.cos(angle)).toFixed(2)}`);
  }
  return points.join(' ');
}

/** The drawn seal for `unitName` (and `bottomText`), `size` CSS pixels square. */
export function OfficialSealSvg({ unitName, bottomText, size = 120, label }: { unitName: string; bottomText?: string | undefined; size?: number; label: string }) {
  const centre = size / 2;
  const ring = size * 0.035;
  const radius = centre - ring / 2;
  const characters = [...unitName.trim()];
  const count = characters.length;
  const span = Math.min(290, Math.max(150, 200 + (count - 6) * 10)) * (Math.PI / 180);
  const charSize = Math.min(size * 0.16, ((radius - ring) * span) / Math.max(count, 1) / 0.82);
  const textRadius = radius - ring / 2 - size * 0.03 - charSize / 2;
  const bottom = [...(bottomText?.trim() ?? '')];
  const bottomSize = bottom.length > 0 ? Math.min(size * 0.11, (size * 0.5) / bottom.length) : 0;
  const bottomAdvance = bottomSize * 0.9;
  return (
    <svg className="seal-graphic" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${size} ${size}`}>
      <circle cx={centre} cy={centre} r={radius} fill="none" stroke={RED} strokeWidth={ring} />
      <polygon points={starPoints(centre, centre, size * 0.16)} fill={RED} />
      {characters.map((char, index) => {
        const angle = count === 1 ? 0 : -span / 2 + (span * index) / (count - 1);
        const x = centre + textRadius * Math.sin(angle);
        const y = centre - textRadius * Math.cos(angle);
        return (
          <text
            key={`${index}-${char}`}
            x={0}
            y={0}
            transform={`translate(${x.toFixed(2)} ${y.toFixed(2)}) rotate(${((angle * 180) / Math.PI).toFixed(2)}) scale(0.78 1)`}
            fontSize={charSize}
            textAnchor="middle"
            dominantBaseline="central"
            fill={RED}
            className="seal-graphic__text"
          >
            {char}
          </text>
        );
      })}
      {bottom.map((char, index) => (
        <text
          key={`b${index}-${char}`}
          x={0}
          y={0}
          transform={`translate(${(centre - (bottomAdvance * (bottom.length - 1)) / 2 + bottomAdvance * index).toFixed(2)} ${(centre + size * 0.27).toFixed(2)}) scale(0.85 1)`}
          fontSize={bottomSize}
          textAnchor="middle"
          dominantBaseline="central"
          fill={RED}
          className="seal-graphic__text"
        >
          {char}
        </text>
      ))}
    </svg>
  );
}

/** A seal's appearance: drawn from its design, or the uploaded PNG once loaded. */
export function SealGraphic({ appearance, imageBase64, label, size = 120 }: { appearance: SealAppearance; imageBase64?: string | null | undefined; label: string; size?: number }) {
  if (appearance.type === 'officialSeal') return <OfficialSealSvg unitName={appearance.unitName} bottomText={appearance.bottomText} size={size} label={label} />;
  if (!imageBase64) return <div className="seal-graphic seal-graphic--pending" style={{ width: size, height: size }} role="img" aria-label={label} />;
  return <img className="seal-graphic" src={`data:image/png;base64,${imageBase64}`} width={size} height={size} alt={label} />;
}
