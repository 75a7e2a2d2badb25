import { NotFoundException } from '@zxing/library';
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useScanInjector } from '../scanner/ScannerProvider.js';
import { decodeImageFile, newReader } from './decode.js';

/** The fallback scanner: the webcam (or a photo of the label) decoded with ZXing, fed in like any scan. */
export function CameraScanner({ onClose }: { onClose?: () => void }) {
  const { t } = useTranslation();
  const inject = useScanInjector();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'starting' | 'running' | 'error'>('starting');
  const [last, setLast] = useState<string | null>(null);
  const [fileResult, setFileResult] = useState<'none' | null>(null);

  useEffect(() => {
    const reader = newReader('video');
    let lastText = '';
    let lastAt = 0;
    reader
      .decodeFromVideoDevice(null, video.current, (result, err) => {
        if (result) {
          const text = result.getText();
          // The same label held in view decodes many times a second: one scan per 2 s.
          if (text === lastText && Date.now() - lastAt < 2000) return;
          lastText = text;
          lastAt = Date.now();
          setLast(text);
          inject(text, 'camera');
        } else if (err && !(err instanceof NotFoundException)) {
          setState('error');
        }
      })
      .then(() => setState('running'))
      .catch(() => setState('error'));
    return () => reader.reset();
  }, [inject]);

  const fromFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const text = await decodeImageFile(file).catch(() => null);
    setFileResult(text ? null : 'none');
    if (text) {
      setLast(text);
      inject(text, 'image');
    }
  };

  return (
    <section className="card camera" data-testid="camera-scanner" data-state={state}>
      <h3>{t('camera.title')}</h3>
      <video ref={video} className="camera-video" muted playsInline />
      <p className="hint">{state === 'error' ? t('camera.unavailable') : t('camera.hint')}</p>
      {last && (
        <p className="mono" data-testid="camera-last">
          {t('camera.read', { code: last })}
        </p>
      )}
      {fileResult === 'none' && <p className="warn">{t('camera.noBarcode')}</p>}
      <div className="row">
        <label className="btn btn-secondary file-btn">
          {t('camera.fromFile')}
          <input type="file" accept="image/*" className="sr-only" onChange={(e) => void fromFile(e)} data-testid="camera-file" />
        </label>
        {onClose && (
          <button type="button" className="btn btn-secondary" onClick={onClose} data-testid="camera-close">
            {t('camera.close')}
          </button>
        )}
      </div>
    </section>
  );
}
