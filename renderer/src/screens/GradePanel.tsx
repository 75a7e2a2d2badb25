import { useTranslation } from 'react-i18next';
import type { Grade, ParcelLineView } from '../../../core/contract/index.js';
import { productName } from './ParcelView.js';

/** Key on the keyboard → grade. X is scrap because it is easy to find and means "throw away". */
export const GRADE_KEYS: readonly { key: string; grade: Grade }[] = [
  { key: 'N', grade: 'N' },
  { key: 'S', grade: 'S' },
  { key: 'A', grade: 'A' },
  { key: 'B', grade: 'B' },
  { key: 'C', grade: 'C' },
  { key: 'D', grade: 'D' },
  { key: 'X', grade: 'scrap' },
];

export function gradeForKey(key: string): Grade | undefined {
  return GRADE_KEYS.find((g) => g.key === key.toUpperCase())?.grade;
}

export function GradePanel({
  line,
  busy,
  onGrade,
  onCancel,
}: {
  line: ParcelLineView;
  busy: boolean;
  onGrade: (grade: Grade) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <section className="card grade-panel" data-testid="grade-panel">
      <div className="matched">
        <span className="matched-name" data-testid="matched-product">
          {productName(line, i18n.language)}
        </span>
        <span className="mono">{line.sku}</span>
        <span className="mono">{line.gtin}</span>
      </div>
      <h2 className="prompt prompt-grade">{busy ? t('grade.grading') : t('grade.prompt')}</h2>
      <div className="grade-keys">
        {GRADE_KEYS.map(({ key, grade }) => (
          <button
            key={key}
            type="button"
            className={`grade-key grade-${grade}`}
            disabled={busy}
            onClick={() => onGrade(grade)}
            data-testid={`grade-key-${key}`}
          >
            <kbd>{key}</kbd>
            <span>{t(`grade.${grade}`)}</span>
          </button>
        ))}
      </div>
      <button type="button" className="btn btn-secondary" onClick={onCancel} disabled={busy} data-testid="grade-cancel">
        {t('grade.cancel')}
      </button>
    </section>
  );
}
