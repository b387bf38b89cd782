/**
 * 手写签批 beside the 意见 box: the button that opens the 签批板 over it, and once 完成 the
 * handwriting that will go with the next action, shown as vectors, with 重新书写 and 移除手写.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InkDrawing } from '../../../shared/domain/documents/opinion';
import { InkImage } from './InkImage';
import { InkPad } from './InkPad';
import './signoff.css';

export interface HandwrittenOpinionProps {
  value: InkDrawing | null;
  onChange: (drawing: InkDrawing | null) => void;
  disabled?: boolean;
}

export function HandwrittenOpinion({ value, onChange, disabled }: HandwrittenOpinionProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (open)
    return (
      <InkPad
        initial={value}
        onCancel={() => setOpen(false)}
        onDone={(drawing) => {
          onChange(drawing);
          setOpen(false);
        }}
      />
    );
  return (
    <div className="handwritten">
      {value ? (
        <figure className="handwritten__preview">
          <InkImage drawing={value} label={t('handwriting.preview')} />
          <figcaption className="field__hint">{t('handwriting.attached')}</figcaption>
        </figure>
      ) : null}
      <div className="handwritten__tools">
        <button type="button" className="button button--secondary" onClick={() => setOpen(true)} disabled={disabled}>
          {value ? t('handwriting.rewrite') : t('handwriting.open')}
        </button>
        {value ? (
          <button type="button" className="link-button" onClick={() => onChange(null)} disabled={disabled}>
            {t('handwriting.remove')}
          </button>
        ) : null}
      </div>
    </div>
  );
}
