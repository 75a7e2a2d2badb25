import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CameraScanner } from '../camera/CameraScanner.js';
import { useScan } from '../scanner/ScannerProvider.js';
import { useIntakeStore } from '../state/intake.js';
import { useDeviceStatus, useSession, useStation } from '../station/StationContext.js';
import { describeDeviceReason, describePrinterMessage, toApiError } from '../ui/describe.js';
import { tagsReadText } from '../ui/countTexts.js';
import { formatNumber } from '../ui/format.js';
import { usePrintFate } from '../ui/printFate.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { DeviceConfigForm } from './DeviceConfigForm.js';
import { PrinterConfigForm } from './PrinterConfigForm.js';
import { PrintQueue } from './PrintQueue.js';

const time = (ms: number, language: string) =>
  new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-US', { timeStyle: 'medium', timeZone: 'Asia/Tokyo' }).format(new Date(ms));

/** What came in through the keyboard wedge or the camera while this screen was open (the station keeps the native scanners' own). */
interface LocalScan {
  text: string;
  source: string;
  at: number;
}

/**
 * The sources this screen lists itself. A serial or HID-POS scanner's scan reaches the screens too (its source is
 * `serial:…` / `hidpos:…`), but the station keeps those in its own list: listing them here as well showed every
 * such scan twice, once without its symbology.
 */
const LOCAL_SOURCES: ReadonlySet<string> = new Set(['wedge', 'camera', 'image']);

/** Control characters made visible, so support staff can see a GS separator or a stray CR. */
export function visible(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\x1d' ? '<GS>' : `<${c.charCodeAt(0).toString(16).padStart(2, '0')}>`));
}

/** Every device of the bench: its state and why, and a way to test each one. */
export function Devices() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const station = useStation();
  const queryClient = useQueryClient();
  const role = useSession().data?.role ?? 'staff';
  const lead = role !== 'staff';
  const openParcelId = useIntakeStore((s) => (s.step === 'scanParcel' ? null : s.parcelId));
  const [localScans, setLocalScans] = useState<LocalScan[]>([]);
  const [camera, setCamera] = useState(false);

  const status = useDeviceStatus(5000);
  // A scale's or a reader's panel only where the bench has one: its button could otherwise only fail.
  const configured = new Set(status.data?.devices.map((d) => d.kind));
  const scans = useQuery({ queryKey: ['devices', 'scans'], queryFn: () => station.call('devices.recentScans', {}), refetchInterval: 2000 });
  const detect = useMutation({ mutationFn: () => station.call('devices.detect', {}) });
  const testPrint = useMutation({ mutationFn: () => station.call('devices.testPrint', { language: lang === 'en' ? 'en' : 'ja' }), onSettled: () => void queryClient.invalidateQueries({ queryKey: ['devices'] }) });
  const weight = useMutation({ mutationFn: () => station.call('devices.readWeight', { timeoutMs: 3000 }) });
  const tags = useMutation({ mutationFn: () => station.call('devices.readTags', { durationMs: 2000, ...(openParcelId ? { parcelId: openParcelId } : {}) }) });

  // The scanner keeps working here: a scan is shown, not looked up.
  useScan((scan) => {
    // An unreadable scan is answered by the input hub's notice, as on every screen.
    if (scan.kind !== 'scan') return 'pass';
    if (!LOCAL_SOURCES.has(scan.source)) return;
    // A lead typing in the device or printer form: a burst of keys there is not a test scan (the wedge has already taken
    // its characters back out of the field).
    if (scan.source === 'wedge' && document.activeElement?.closest('[data-testid="device-form"], [data-testid="printer-form"]')) return;
    setLocalScans((s) => [{ text: scan.text, source: scan.source, at: Date.now() }, ...s].slice(0, 20));
  });
  useEffect(() => {
    return station.on('device.scan', () => void queryClient.invalidateQueries({ queryKey: ['devices', 'scans'] }));
  }, [station, queryClient]);

  const error = status.error ?? detect.error ?? testPrint.error ?? weight.error ?? tags.error;
  const printer = status.data?.printer ?? null;
  const exists = (key: string) => i18n.exists(key);
  const health = printer?.health ?? null;
  const healthSaid = health?.message ? describePrinterMessage(t, exists, { text: health.message, key: health.messageKey, params: health.messageParams }) : '';
  // A test label that waited for the printer says so until it leaves the queue, then that it printed.
  const testOutcome = usePrintFate(testPrint.data?.outcome, testPrint.data?.lpn);

  return (
    <main className="screen" data-testid="screen-devices">
      <h2 className="screen-title">{t('devices.title')}</h2>
      {error && <NoticePanel notice={{ kind: 'error', error: toApiError(error), during: 'other' }} />}
      <section className="card">
        <h3>{t('devices.status')}</h3>
        {status.data && status.data.devices.length === 0 && <p className="hint">{t('devices.none')}</p>}
        <ul className="device-list" data-testid="device-list">
          {status.data?.devices.map((d) => (
            <li key={d.deviceId} className={`device device-${d.state}`} data-testid="device" data-device-id={d.deviceId} data-state={d.state}>
              <span className={`state-dot state-${d.state}`} aria-hidden />
              <strong>{t(`devices.kind.${d.kind}`)}</strong>
              <span className="mono small">{d.label}</span>
              <span className="device-state">{t(`devices.state.${d.state}`)}</span>
              {d.reason && <span className="device-reason">{describeDeviceReason(t, d)}</span>}
              <span className="hint small">{t('devices.since', { time: time(d.since, lang) })}</span>
            </li>
          ))}
        </ul>
      </section>

      {lead && <DeviceConfigForm found={detect.data} />}
      {lead && <PrinterConfigForm />}
      {lead && (
        <section className="card" data-testid="detect-panel">
          <div className="row between">
            <h3>{t('devices.detected')}</h3>
            <button type="button" className="btn btn-secondary" onClick={() => detect.mutate()} disabled={detect.isPending} data-testid="detect">
              {t('devices.detect')}
            </button>
          </div>
          {detect.data && (
            <>
              <ul data-testid="detected-ports">
                {detect.data.serialPorts.map((p) => (
                  <li key={p.path} className="mono small" data-testid="detected-port">
                    {p.byId ?? p.path} {p.manufacturer ?? ''} {p.usedBy ? `← ${p.usedBy}` : ''}
                  </li>
                ))}
                {detect.data.hidPosScanners.map((h) => (
                  <li key={h.path} className="mono small">
                    HID-POS {h.vendorId.toString(16).padStart(4, '0')}:{h.productId.toString(16).padStart(4, '0')} {h.product ?? ''}
                  </li>
                ))}
                {detect.data.serialPorts.length + detect.data.hidPosScanners.length === 0 && <li className="hint">{t('devices.nothingDetected')}</li>}
              </ul>
              {detect.data.warnings.map((w, i) => (
                <p key={i} className="warn" data-testid="detect-warning" data-key={w.key ?? ''} title={w.text}>
                  {w.key && exists(w.key) ? t(w.key, w.params) : w.text}
                </p>
              ))}
            </>
          )}
        </section>
      )}

      <div className="two-col">
        <section className="card" data-testid="printer-panel">
          <h3>{t('devices.printer')}</h3>
          {printer ? (
            <>
              {printer.floorName && <p data-testid="printer-floor-name"><strong>{printer.floorName}</strong></p>}
              <p className="mono small">
                {printer.name} {printer.language ? `(${printer.language.toUpperCase()})` : ''}
              </p>
              <p data-testid="printer-health" data-state={health?.state ?? 'unknown'} data-key={health?.messageKey ?? ''} title={health?.message ?? undefined}>
                {health ? t(`devices.health.${health.state}`) : t('devices.health.unknown')}
                {healthSaid ? ` — ${healthSaid}` : ''}
              </p>
              <p className="hint">{t('devices.queue', { pending: printer.queue.pending, uncertain: printer.queue.uncertain })}</p>
            </>
          ) : (
            <p className="hint">{t('devices.noPrinter')}</p>
          )}
          {lead && (
            <button type="button" className="btn btn-primary" onClick={() => testPrint.mutate()} disabled={testPrint.isPending} data-testid="test-print">
              {t('devices.testPrint')}
            </button>
          )}
          {testPrint.data && testOutcome && (
            <p
              className={`print print-${testOutcome.status}`}
              data-testid="test-print-result"
              data-status={testOutcome.status}
              title={[testOutcome.printer, testOutcome.message].filter(Boolean).join(' — ')}
            >
              {/* The site's name for the printer, as the result screen says it; its address is for support, in the tooltip. */}
              {t(`result.print.${testOutcome.status}`, { printer: testOutcome.printerName ?? t('result.printerDefault') })} · {testPrint.data.lpn}
              {testOutcome.message ? ` — ${describePrinterMessage(t, exists, { text: testOutcome.message, key: testOutcome.messageKey, params: testOutcome.messageParams })}` : ''}
            </p>
          )}
        </section>

        {configured.has('scale') && (
        <section className="card" data-testid="scale-panel">
          <h3>{t('devices.scale')}</h3>
          <button type="button" className="btn btn-primary" onClick={() => weight.mutate()} disabled={weight.isPending} data-testid="read-weight">
            {t('devices.readWeight')}
          </button>
          {weight.data && (
            <p className="kpi-value" data-testid="weight" data-grams={weight.data.grams ?? ''}>
              {weight.data.overload
                ? t('devices.overload')
                : `${formatNumber(weight.data.value ?? 0, lang, 3)} ${weight.data.unit}`}{' '}
              <span className="hint">{weight.data.stable ? t('devices.stable') : t('devices.unstable')}</span>
            </p>
          )}
        </section>
        )}
      </div>

      <PrintQueue />

      {configured.has('rfid') && (
      <section className="card" data-testid="rfid-panel">
        <h3>{t('devices.rfid')}</h3>
        <p className="hint">{openParcelId ? t('devices.tagsMatchParcel') : t('devices.tagsNoParcel')}</p>
        <button type="button" className="btn btn-primary" onClick={() => tags.mutate()} disabled={tags.isPending} data-testid="read-tags">
          {tags.isPending ? t('devices.reading') : t('devices.readTags')}
        </button>
        {tags.data && (
          <>
            <p data-testid="tags-count" data-count={tags.data.tags.length}>
              {tagsReadText(t, tags.data.tags.length, tags.data.totalReads)}
            </p>
            <table className="table" data-testid="tags-table">
              <thead>
                <tr>
                  <th>EPC</th>
                  <th>{t('devices.scheme')}</th>
                  <th>GTIN</th>
                  <th>{t('devices.serial')}</th>
                  <th className="num">{t('devices.reads')}</th>
                  <th className="num">RSSI</th>
                </tr>
              </thead>
              <tbody>
                {tags.data.tags.map((tag) => (
                  <tr key={tag.epcHex} data-testid="tag-row">
                    <td className="mono small">{tag.epcHex}</td>
                    <td>{tag.scheme ?? tag.error ?? ''}</td>
                    <td className="mono">{tag.gtin ?? ''}</td>
                    <td className="mono">{tag.serial ?? ''}</td>
                    <td className="num">{tag.reads}</td>
                    <td className="num">{tag.bestRssi ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {tags.data.match && (
              <div data-testid="tags-match" data-complete={tags.data.match.complete}>
                <strong>{tags.data.match.complete ? t('devices.matchComplete') : t('devices.matchIncomplete')}</strong>
                <ul>
                  {tags.data.match.lines.map((l) => (
                    <li key={l.lineId}>
                      <span className="mono">{l.gtin}</span> {t('devices.matchLine', { found: l.tags.length, expected: l.expectedQty, missing: l.missing })}
                    </li>
                  ))}
                  {tags.data.match.unexpected.length > 0 && <li>{t('devices.matchUnexpected', { count: tags.data.match.unexpected.length })}</li>}
                </ul>
              </div>
            )}
          </>
        )}
      </section>
      )}

      <section className="card" data-testid="scans-panel">
        <div className="row between">
          <h3>{t('devices.recentScans')}</h3>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => setCamera((c) => !c)} data-testid="camera-toggle">
            {camera ? t('camera.close') : t('camera.open')}
          </button>
        </div>
        {camera && <CameraScanner onClose={() => setCamera(false)} />}
        <table className="table" data-testid="scans-table">
          <thead>
            <tr>
              <th>{t('devices.time')}</th>
              <th>{t('devices.source')}</th>
              <th>{t('devices.symbology')}</th>
              <th>{t('devices.data')}</th>
            </tr>
          </thead>
          <tbody>
            {localScans.map((s, i) => (
              <tr key={`l${i}`} data-testid="scan-row" data-source={s.source}>
                <td>{time(s.at, lang)}</td>
                <td>{s.source}</td>
                <td />
                <td className="mono">{visible(s.text)}</td>
              </tr>
            ))}
            {scans.data?.scans.map((s, i) => (
              <tr key={`d${i}`} data-testid="scan-row" data-source={s.source}>
                <td>{time(s.at, lang)}</td>
                <td>{s.deviceId}</td>
                <td>
                  {/* A scanner not programmed to send AIM identifiers: said, so support sees why a GS1 code was not recognised. */}
                  {s.symbology === 'unknown' ? t('devices.symbologyUnknown') : s.symbology}
                  {s.aim ? ` ${s.aim}` : ''}
                </td>
                <td className="mono">{s.visible}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

    </main>
  );
}
