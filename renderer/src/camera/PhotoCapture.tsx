import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PhotoReason } from '../../../contract/index.js';
import { useSingleKeys } from '../scanner/ScannerProvider.js';
import { useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { feedback } from '../ui/feedback.js';

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('could not read the file'));
    r.readAsDataURL(blob);
  });
}

/**
 * Webcam photos for the item: Space takes one, Enter finishes once there is at least one.
 * Each photo goes to the station at once (photo.attach) and is referred to by its hash.
 * `busy`: what onDone started (the grade) is still out; a second Enter or click must not send it again.
 */
export function PhotoCapture({
  reasons,
  onDone,
  onCancel,
  busy = false,
}: {
  reasons: readonly PhotoReason[];
  onDone: (hashes: string[]) => void;
  onCancel: () => void;
  busy?: boolean;
}) {
  const { t } = useTranslation();
  const station = useStation();
  const video = useRef<HTMLVideoElement>(null);
  const [camera, setCamera] = useState<'starting' | 'on' | 'off'>('starting');
  const [photos, setPhotos] = useState<{ sha256: string; preview: string }[]>([]);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    navigator.mediaDevices
      ?.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
      .then((s) => {
        if (stopped) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play().catch(() => undefined);
        }
        setCamera('on');
      })
      .catch(() => setCamera('off')) ?? setCamera('off');
    return () => {
      stopped = true;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);

  const upload = useMutation({
    mutationFn: async (dataUrl: string) => ({ stored: await station.call('photo.attach', { dataBase64: dataUrl }), dataUrl }),
    onSuccess: ({ stored, dataUrl }) => setPhotos((p) => [...p, { sha256: stored.sha256, preview: dataUrl }]),
  });

  const capture = () => {
    const v = video.current;
    if (!v || camera !== 'on' || upload.isPending || v.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    // 1280 px wide is plenty to see damage and stays far below the 5 MB limit.
    const scale = Math.min(1, 1280 / v.videoWidth);
    canvas.width = Math.round(v.videoWidth * scale);
    canvas.height = Math.round(v.videoHeight * scale);
    canvas.getContext('2d')?.drawImage(v, 0, 0, canvas.width, canvas.height);
    upload.mutate(canvas.toDataURL('image/jpeg', 0.85));
  };
  const fromFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) upload.mutate(await readAsDataUrl(file));
  };
  // Set at once, before `busy` can reach this screen: a second Enter a moment later would grade the item twice.
  const sent = useRef(false);
  useEffect(() => {
    // The grade came back refused (the screen stays): the operator may send it again.
    if (!busy) sent.current = false;
  }, [busy]);
  // Enter before the first photo used to do nothing at all: the operator heard and saw no answer to the key.
  const [photoFirst, setPhotoFirst] = useState(false);
  useEffect(() => {
    if (photos.length > 0) setPhotoFirst(false);
  }, [photos.length]);
  const done = () => {
    if (photos.length === 0 && !upload.isPending && !busy) {
      feedback('error');
      setPhotoFirst(true);
      return;
    }
    if (photos.length === 0 || upload.isPending || busy || sent.current) return;
    sent.current = true;
    onDone(photos.map((p) => p.sha256));
  };

  useSingleKeys((key) => {
    if (busy) return;
    if (key === 'Escape') onCancel();
    else if (key === ' ' || key.toLowerCase() === 'p') capture();
    else if (key === 'Enter' && !(document.activeElement instanceof HTMLButtonElement)) done();
  });

  return (
    <section className="card photo-capture" data-testid="photo-capture" data-camera={camera} data-count={photos.length}>
      {/* "Space takes one" would send a bench without a camera looking for a key that does nothing. */}
      <h2 className="prompt prompt-grade" data-testid="photo-prompt">
        {t(camera === 'off' ? 'photo.promptNoCamera' : 'photo.prompt')}
      </h2>
      <p className="hint">{reasons.map((r) => t(`photo.reason.${r}`)).join(' / ')}</p>
      {/* Under the prompt, not below the video: at 1280×800 the bottom of the panel is off screen. */}
      {photoFirst && (
        <p className="warn" role="alert" data-testid="photo-first">
          {t('error.photosRequired')}
        </p>
      )}
      {/* Where the picture would be: below an empty video box it was off screen at 1280×800, and "Choose a file" with it. */}
      {camera === 'off' && (
        <p className="warn" data-testid="photo-no-camera">
          {t('photo.noCamera')}
        </p>
      )}
      <div className="photo-row">
        <video ref={video} className="camera-video" muted playsInline hidden={camera === 'off'} />
        <div className="photo-thumbs">
          {photos.map((p) => (
            <img key={p.sha256} src={p.preview} alt={t('photo.taken')} className="photo-thumb" data-testid="photo-thumb" />
          ))}
        </div>
      </div>
      {upload.isError && (
        <NoticePanel notice={{ kind: 'error', error: toApiError(upload.error), during: 'grade' }} onDismiss={() => upload.reset()} />
      )}
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={capture} disabled={camera !== 'on' || upload.isPending} data-testid="photo-take">
          {t('photo.take')}
        </button>
        <label className="btn btn-secondary file-btn">
          {t('photo.fromFile')}
          <input type="file" accept="image/jpeg,image/png" className="sr-only" onChange={(e) => void fromFile(e)} data-testid="photo-file" />
        </label>
        <button type="button" className="btn btn-primary" onClick={done} disabled={photos.length === 0 || upload.isPending || busy} data-testid="photo-done">
          {t('photo.done')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel} disabled={busy} data-testid="photo-cancel">
          {t('grade.cancel')}
        </button>
      </div>
    </section>
  );
}
