import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PhotoReason, type ApiError, type Category, type CustomerDeclaration, type CustomerPhotoView, type Grade, type GradingProfile } from '../../../contract/index.js';
import { PhotoCapture } from '../camera/PhotoCapture.js';
import { DeclarationCard } from './Declaration.js';
import { answerForKey, gradePhotoReasons, walkProfile } from '../../../domain/grading/evaluate.js';

/** Answer ids by question id, as item.grade takes them. */
type Answers = Readonly<Record<string, string>>;
import { useSingleKeys } from '../scanner/ScannerProvider.js';
import { useStation } from '../station/StationContext.js';

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

export interface GradeSubmission {
  grade?: Grade;
  answers?: Answers;
  photos?: string[];
}

export function useGradingProfile(category: Category | null) {
  const station = useStation();
  return useQuery({
    queryKey: ['gradingProfile', category],
    queryFn: () => station.call('grading.profile', { category: category ?? 'apparel' }),
    enabled: category !== null,
    staleTime: 10 * 60_000,
  });
}

/**
 * Grading one item: the profile's questions one key each (likely answer preselected, Enter takes it),
 * then photos when the answers call for them. A grade letter grades directly (the quick path), unless
 * the current question uses that key itself.
 */
export function GradePanel({
  heading,
  category,
  wrongItem,
  busy,
  onSubmit,
  onCancel,
  photosRefused = null,
  declaration,
}: {
  heading: ReactNode;
  /** What the customer declared for this return, shown beside the questions. */
  declaration?: { declaration: CustomerDeclaration; photos: readonly CustomerPhotoView[] } | undefined;
  category: Category | null;
  wrongItem: boolean;
  busy: boolean;
  onSubmit: (s: GradeSubmission) => void;
  /** The station refused the last grade for want of photos (error.photosRequired): ask for them now. */
  photosRefused?: ApiError | null;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const profile = useGradingProfile(category);
  const [answers, setAnswers] = useState<Answers>({});
  const [selected, setSelected] = useState<string | null>(null);
  const [photosFor, setPhotosFor] = useState<Omit<GradeSubmission, 'photos'> | null>(null);
  const [lastSent, setLastSent] = useState<Omit<GradeSubmission, 'photos'> | null>(null);
  const [demanded, setDemanded] = useState<PhotoReason[] | null>(null);
  // Whatever this screen thought, the station has the last word on photos: take them, then send the same grade.
  useEffect(() => {
    if (!photosRefused || !lastSent) return;
    const reasons = String(photosRefused.params.reasons ?? '')
      .split(',')
      .flatMap((r) => {
        const parsed = PhotoReason.safeParse(r);
        return parsed.success ? [parsed.data] : [];
      });
    setDemanded(reasons);
    setPhotosFor(lastSent);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when a refusal arrives
  }, [photosRefused]);
  const p: GradingProfile | undefined = profile.data;
  const walk = p ? walkProfile(p, answers, { wrongItem }) : null;
  const question = walk?.pending ?? null;
  const lang = i18n.language === 'ja' ? 'ja' : 'en';

  const finish = (s: Omit<GradeSubmission, 'photos'>, photoNeeded: boolean) => {
    if (photoNeeded) setPhotosFor(s);
    else {
      setLastSent(s);
      onSubmit(s);
    }
  };

  // The same photos the station will insist on, asked for before the grade is sent (not after a refusal).
  const quick = (g: Grade) => finish({ grade: g }, gradePhotoReasons(p, g, { wrongItem }).length > 0);

  const answer = (optionId: string) => {
    if (!p || !question || busy) return;
    const next = { ...answers, [question.id]: optionId };
    const w = walkProfile(p, next, { wrongItem });
    setAnswers(next);
    setSelected(null);
    if (w.pending === null) finish({ answers: next }, w.photoReasons.length > 0);
  };
  const back = () => {
    const last = walk?.path.at(-1);
    if (!last) return onCancel();
    const { [last.question.id]: _dropped, ...rest } = answers;
    setAnswers(rest);
    setSelected(last.option.id);
  };

  useSingleKeys((key) => {
    // Function keys are the screen's (F8 closes the parcel): it answers them, rather than the key going unheard.
    if (/^F\d+$/.test(key)) return 'pass';
    if (busy || photosFor) return;
    if (key === 'Escape') return onCancel();
    if (question) {
      const current = selected ?? question.likely;
      const index = question.answers.findIndex((a) => a.id === current);
      if (key === 'Enter') {
        if (!(document.activeElement instanceof HTMLButtonElement)) answer(current);
        return;
      }
      if (key === 'ArrowDown' || key === 'ArrowRight') return setSelected(question.answers[(index + 1) % question.answers.length]?.id ?? null);
      if (key === 'ArrowUp' || key === 'ArrowLeft') {
        return setSelected(question.answers[(index - 1 + question.answers.length) % question.answers.length]?.id ?? null);
      }
      if (key === 'Backspace') return back();
      const option = answerForKey(question, key);
      if (option) return answer(option.id);
    }
    const g = gradeForKey(key);
    if (g) quick(g);
  });

  if (photosFor) {
    const reasons =
      demanded ?? (walk && photosFor.answers ? walk.photoReasons : photosFor.grade ? gradePhotoReasons(p, photosFor.grade, { wrongItem }) : []);
    return (
      <>
        <div className="matched card">{heading}</div>
        <PhotoCapture
          reasons={reasons}
          busy={busy}
          onCancel={() => {
            setPhotosFor(null);
            setDemanded(null);
          }}
          onDone={(photos) => onSubmit({ ...photosFor, photos })}
        />
      </>
    );
  }

  return (
    <section className={`card grade-panel ${declaration ? 'grade-panel-declared' : ''}`} data-testid="grade-panel" data-question={question?.id ?? ''}>
      <div className="matched">{heading}</div>
      {declaration && <DeclarationCard declaration={declaration.declaration} photos={declaration.photos} />}
      {question && p ? (
        <>
          <div className="question-progress" data-testid="grade-path">
            {walk?.path.map((s) => (
              <span key={s.question.id} className="path-step" data-testid="grade-path-step">
                {/* The question's own ？ then a colon read as "?:"; the step is the question's subject and the answer. */}
                {s.question.text[lang].replace(/\s*[?？]\s*$/u, '')}
                {lang === 'ja' ? '：' : ': '}
                <strong>{s.option.label[lang]}</strong>
              </span>
            ))}
          </div>
          <h2 className="prompt prompt-grade" data-testid="grade-question">
            {busy ? t('grade.grading') : question.text[lang]}
          </h2>
          <div className="answers" role="listbox" aria-label={question.text[lang]}>
            {question.answers.map((a) => {
              const isSelected = a.id === (selected ?? question.likely);
              return (
                <button
                  key={a.id}
                  type="button"
                  role="option"
                  aria-selected={isSelected}
                  className={`answer ${isSelected ? 'answer-selected' : ''}`}
                  disabled={busy}
                  onClick={() => answer(a.id)}
                  data-testid={`answer-${a.id}`}
                >
                  <kbd>{a.key}</kbd>
                  <span>{a.label[lang]}</span>
                  {a.id === question.likely && <em className="likely">{t('grade.likely')}</em>}
                </button>
              );
            })}
          </div>
          <p className="hint">{t('grade.questionHint')}</p>
        </>
      ) : (
        <h2 className="prompt prompt-grade">{busy ? t('grade.grading') : t('grade.prompt')}</h2>
      )}
      <div className="grade-keys-row">
        <span className="hint">{question ? t('grade.directHint') : ''}</span>
        <div className={`grade-keys ${question ? 'grade-keys-small' : ''}`}>
          {GRADE_KEYS.map(({ key, grade }) => (
            <button
              key={key}
              type="button"
              className={`grade-key grade-${grade}`}
              disabled={busy}
              onClick={() => quick(grade)}
              data-testid={`grade-key-${key}`}
            >
              <kbd>{key}</kbd>
              <span>{t(`grade.${grade}`)}</span>
            </button>
          ))}
        </div>
      </div>
      <div className="row">
        <button type="button" className="btn btn-secondary" onClick={onCancel} disabled={busy} data-testid="grade-cancel">
          {t('grade.cancel')}
        </button>
        {question && walk && walk.path.length > 0 && (
          <button type="button" className="btn btn-secondary" onClick={back} disabled={busy} data-testid="grade-back">
            {t('grade.back')}
          </button>
        )}
      </div>
    </section>
  );
}
