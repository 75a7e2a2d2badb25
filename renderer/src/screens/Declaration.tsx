import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CustomerDeclaration, CustomerPhotoView } from '../../../contract/index.js';
import { useStation } from '../station/StationContext.js';

/** A stored photo fetched by hash and shown as a data: URL (the CSP allows img-src data:, nothing remote). */
export function PhotoThumb({ sha256, testId = 'review-photo', customer = false }: { sha256: string; testId?: string; customer?: boolean }) {
  const { t } = useTranslation();
  const station = useStation();
  // Staff at the bench may see the customer's photos (their own call) but not the lead-only photo store.
  const photo = useQuery({
    queryKey: ['photo', customer ? 'customer' : 'any', sha256],
    queryFn: () => station.call(customer ? 'photo.customer' : 'photo.get', { sha256 }),
    staleTime: Infinity,
  });
  if (photo.data) {
    const src = `data:${photo.data.mime};base64,${photo.data.dataBase64}`;
    return (
      <span className="photo-thumb" data-testid={testId} data-sha256={sha256}>
        <img src={src} alt={t('review.photoAlt', { hash: sha256.slice(0, 12) })} />
      </span>
    );
  }
  return (
    <span className="photo-thumb photo-thumb-missing mono small" data-testid={`${testId}-missing`} title={sha256}>
      {photo.error ? t('review.photoMissing') : '…'} {sha256.slice(0, 12)}
    </span>
  );
}

/** One of the customer's photos: shown when the bench holds it, otherwise why not (grading never waits for it). */
function CustomerPhoto({ photo }: { photo: CustomerPhotoView }) {
  const { t } = useTranslation();
  if (photo.status === 'stored') return <PhotoThumb sha256={photo.sha256} testId="customer-photo" customer />;
  return (
    <span className="photo-thumb photo-thumb-missing small" data-testid="customer-photo-status" data-status={photo.status} title={photo.sha256}>
      {t(`declaration.photoStatus.${photo.status}`)}
    </span>
  );
}

export function CustomerPhotos({ photos }: { photos: readonly CustomerPhotoView[] }) {
  const { t } = useTranslation();
  if (photos.length === 0) return <p className="hint">{t('declaration.noPhotos')}</p>;
  return (
    <div className="photo-thumbs" data-testid="customer-photos">
      {photos.map((p) => (
        <CustomerPhoto key={p.sha256} photo={p} />
      ))}
    </div>
  );
}

/** What the customer declared in the returns portal, for the grader and the lead to compare with the item. */
export function DeclarationCard({ declaration, photos }: { declaration: CustomerDeclaration; photos: readonly CustomerPhotoView[] }) {
  const { t } = useTranslation();
  return (
    <aside className="card declaration" data-testid="declaration" aria-label={t('declaration.title')}>
      <h3>{t('declaration.title')}</h3>
      <dl>
        <div className="field">
          <dt>{t('declaration.condition')}</dt>
          <dd data-testid="declared-condition">{t(`declaredCondition.${declaration.condition}`)}</dd>
        </div>
        <div className="field">
          <dt>{t('declaration.complete')}</dt>
          <dd data-testid="declared-complete">{declaration.complete ? t('declaration.yes') : t('declaration.no')}</dd>
        </div>
        {declaration.text.trim() !== '' && (
          <div className="field">
            <dt>{t('declaration.text')}</dt>
            <dd data-testid="declared-text">{declaration.text}</dd>
          </div>
        )}
      </dl>
      <CustomerPhotos photos={photos} />
    </aside>
  );
}
