// Pieces the Devices screen's two forms (the device list, the printer) share, so both look and behave alike.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** What marks a field the station refused: read out with the sentence that says why. */
export const invalidMark = (bad: boolean, issueId: string) => (bad ? { 'aria-invalid': true as const, 'aria-describedby': issueId } : {});

interface TextSettingProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  placeholder?: string | undefined;
  /** Paths and addresses: monospaced, so 0/O and l/1 are told apart. */
  mono?: boolean;
  numeric?: boolean;
  /** A row of its own: a by-id path is long, and the lead should see all of it. */
  wide?: boolean;
  disabled?: boolean;
  invalid: ReturnType<typeof invalidMark>;
}

export function TextSetting(p: TextSettingProps) {
  return (
    <label className={p.wide ? 'form-row' : undefined}>
      {p.label}
      <input
        className={`input${p.mono ? ' mono' : ''}`}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        inputMode={p.numeric ? 'numeric' : undefined}
        placeholder={p.placeholder}
        disabled={p.disabled}
        data-testid={p.testId}
        {...p.invalid}
      />
    </label>
  );
}

interface SaveBarProps {
  /** The test ids' prefix: `<prefix>-save`, `<prefix>-discard`, `<prefix>-form-saved`. */
  prefix: string;
  dirty: boolean;
  saving: boolean;
  saved: boolean;
  savedText: string;
  onDiscard: () => void;
  onSave: () => void;
  /** Save stays off even with changes (the printer named by RS_PRINTER). */
  locked?: boolean;
  /** Before the "not saved yet" note, e.g. Add device. */
  children?: ReactNode;
}

/** Not saved yet / saved, Discard changes and Save: Save is the only way anything typed reaches the station. */
export function SaveBar(p: SaveBarProps) {
  const { t } = useTranslation();
  return (
    <div className="device-form-bar">
      {p.children}
      {p.dirty && !p.saving && <span className="hint">{t('deviceForm.unsaved')}</span>}
      {p.saved && !p.dirty && (
        <span className="hint" role="status" data-testid={`${p.prefix}-form-saved`}>
          {p.savedText}
        </span>
      )}
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={p.onDiscard} disabled={!p.dirty || p.saving} data-testid={`${p.prefix}-discard`}>
          {t('deviceForm.discard')}
        </button>
        <button type="button" className="btn btn-primary" onClick={p.onSave} disabled={!p.dirty || p.saving || p.locked === true} data-testid={`${p.prefix}-save`}>
          {p.saving ? t('deviceForm.saving') : t('deviceForm.save')}
        </button>
      </div>
    </div>
  );
}

interface ChoiceSettingProps {
  label: string;
  value: string;
  choices: ReadonlyArray<{ value: string; label: string }>;
  onChange: (value: string) => void;
  testId: string;
  disabled?: boolean;
  invalid: ReturnType<typeof invalidMark>;
}

export function ChoiceSetting(p: ChoiceSettingProps) {
  return (
    <label>
      {p.label}
      <select className="input" value={p.value} onChange={(e) => p.onChange(e.target.value)} disabled={p.disabled} data-testid={p.testId} {...p.invalid}>
        {p.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
