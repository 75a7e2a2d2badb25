import { useTranslation } from 'react-i18next';
import { invalidMark, TextSetting } from './SettingsParts.js';
import { DATA_BITS, DRIVERS, PARITIES, STOP_BITS, usesNetwork, usesSerial, type DeviceDraft, type DraftField, type PortChoice } from '../ui/deviceDrafts.js';

interface Props {
  n: number;
  draft: DeviceDraft;
  ports: readonly PortChoice[] | null;
  /** The field the station's refusal names, marked and described. */
  bad: { field: DraftField | null; text: string } | null;
  onChange: (next: DeviceDraft) => void;
  onRemove: () => void;
}

/** One device of the bench's list: its name, type and the settings its type takes. */
export function DeviceDraftFields({ n, draft, ports, bad, onChange, onRemove }: Props) {
  const { t } = useTranslation();
  const set = (patch: Partial<DeviceDraft>) => onChange({ ...draft, ...patch });
  const prefix = `device-${draft.key}`;
  const marked = (field: DraftField) => invalidMark(bad?.field === field, `${prefix}-issue`);
  const text = (field: 'id' | 'path' | 'baudRate' | 'host' | 'port', extra: { placeholder?: string; numeric?: boolean } = {}) => (
    <TextSetting
      label={t(`deviceForm.field.${field}`)}
      value={draft[field]}
      onChange={(value) => set({ [field]: value })}
      testId={`draft-${field}`}
      placeholder={extra.placeholder}
      mono={field === 'path' || field === 'host'}
      numeric={extra.numeric === true}
      wide={field === 'path'}
      invalid={marked(field)}
    />
  );
  const choice = (field: 'dataBits' | 'parity' | 'stopBits', values: readonly string[], name: (v: string) => string) => (
    <label>
      {t(`deviceForm.field.${field}`)}
      <select className="input" value={draft[field]} onChange={(e) => set({ [field]: e.target.value })} data-testid={`draft-${field}`} {...marked(field)}>
        <option value="">{t('deviceForm.usual')}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {name(v)}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <fieldset className={`device-draft${bad ? ' device-draft-bad' : ''}`} data-testid="device-draft" data-device-id={draft.id}>
      <legend>
        {t('deviceForm.entry', { n })}
        {draft.id.trim() !== '' ? ` · ${draft.id}` : ''}
      </legend>
      <div className="form-grid">
        <label>
          {t('deviceForm.field.driver')}
          <select className="input" value={draft.driver} onChange={(e) => set({ driver: e.target.value })} data-testid="draft-driver" {...marked('driver')}>
            {/* A driver this renderer does not know stays as the file has it. */}
            {!(DRIVERS as readonly string[]).includes(draft.driver) && <option value={draft.driver}>{draft.driver}</option>}
            {DRIVERS.map((d) => (
              <option key={d} value={d}>
                {t(`deviceForm.driver.${d}`)}
              </option>
            ))}
          </select>
        </label>
        {text('id', { placeholder: t('deviceForm.idHint') })}
        {usesSerial(draft.driver) && (
          <>
            {/* Offered once Detect ports has run (the panel below). */}
            {ports && (
              <label>
                {t('deviceForm.pickPort')}
                <select className="input" value="" disabled={ports.length === 0} onChange={(e) => e.target.value !== '' && set({ path: e.target.value })} data-testid="draft-pick-port">
                  <option value="">{ports.length > 0 ? '—' : t('devices.nothingDetected')}</option>
                  {ports.map((p) => (
                    <option key={p.path} value={p.path}>
                      {p.usedBy && p.usedBy !== draft.id ? t('deviceForm.usedBy', { path: p.path, id: p.usedBy }) : `${p.path} ${p.maker}`.trim()}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {text('path', { placeholder: '/dev/serial/by-id/…' })}
            {text('baudRate', { placeholder: t('deviceForm.usual'), numeric: true })}
            {choice('dataBits', DATA_BITS, (v) => v)}
            {choice('parity', PARITIES, (v) => t(`deviceForm.parity.${v}`))}
            {choice('stopBits', STOP_BITS, (v) => v)}
          </>
        )}
        {usesNetwork(draft.driver) && (
          <>
            {text('host', { placeholder: '10.0.0.5' })}
            {text('port', { placeholder: t('deviceForm.usual'), numeric: true })}
          </>
        )}
      </div>
      {draft.driver === 'hidpos-scanner' && <p className="hint">{t('deviceForm.hidposHint')}</p>}
      {bad && (
        <p className="field-issue" role="alert" id={`${prefix}-issue`} data-testid="device-form-issue" data-field={bad.field ?? ''}>
          {bad.text}
        </p>
      )}
      <div className="form-actions">
        <label className="check-label">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="draft-enabled" />
          {t('deviceForm.enabled')}
        </label>
        <button type="button" className="btn btn-secondary btn-small" onClick={onRemove} data-testid="draft-remove">
          {t('deviceForm.remove')}
        </button>
      </div>
    </fieldset>
  );
}
