import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput } from '../../../contract/index.js';
import { useDeviceFormStore } from '../state/deviceForm.js';
import { queryKeys, useSession, useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { feedback } from '../ui/feedback.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { useOnceAtATime } from '../ui/once.js';
import { ChoiceSetting, invalidMark, SaveBar, TextSetting } from './SettingsParts.js';
import {
  localPrinterIssue,
  PRINTER_LANGUAGES,
  PRINTER_TRANSPORTS,
  printerChanged,
  printerConfigOf,
  printerDraftOf,
  printerIssue,
  type LocalIssue,
  type PrinterDraft,
  type PrinterField,
} from '../ui/printerDraft.js';

export const DEVICE_CONFIG_KEY = ['devices', 'config'] as const;

/**
 * The bench's label printer as a form (leads and supervisors), beside the device list and built the same way: the
 * fields sit in no <form>, so Enter sends nothing; only Save does. Saved, the station prints on the new printer at
 * once, the labels waiting in the queue included.
 */
export function PrinterConfigForm() {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const config = useQuery({ queryKey: DEVICE_CONFIG_KEY, queryFn: () => station.call('devices.config', {}) });
  const { printer: draft, printerSet, ownedBy } = useDeviceFormStore();
  const operatorId = useSession().data?.id;
  useEffect(() => {
    if (operatorId) ownedBy(operatorId);
  }, [operatorId, ownedBy]);
  useEffect(() => {
    if (config.data && draft === null) printerSet(printerDraftOf(config.data.printer));
  }, [config.data, draft, printerSet]);
  const [saved, setSaved] = useState(false);
  const [local, setLocal] = useState<LocalIssue | null>(null);

  const save = useMutation({
    mutationFn: (input: CallInput<'devices.configurePrinter'>) => station.call('devices.configurePrinter', input),
    onSuccess: async (overview) => {
      feedback('success');
      queryClient.setQueryData(queryKeys.devices, overview);
      // The station's own reading of what was sent (the usual port and speed filled in) is what the form shows now.
      const fresh = await queryClient.fetchQuery({ queryKey: DEVICE_CONFIG_KEY, queryFn: () => station.call('devices.config', {}), staleTime: 0 });
      printerSet(printerDraftOf(fresh.printer));
      setSaved(true);
    },
    onError: () => feedback('error'),
  });
  const once = useOnceAtATime();

  if (!draft || !config.data) return null;
  const exists = (key: string) => i18n.exists(key);
  const saving = save.isPending;
  const locked = config.data.printerFromEnvironment;
  const dirty = printerChanged(draft, config.data.printer);
  const refusal = save.error ? toApiError(save.error) : null;
  const issue = local ? localPrinterIssue(t, exists, local) : refusal ? printerIssue(t, exists, refusal) : null;

  const set = (patch: Partial<PrinterDraft>) => {
    printerSet({ ...draft, ...patch });
    setSaved(false);
    setLocal(null);
  };
  const discard = () => {
    printerSet(printerDraftOf(config.data.printer));
    setSaved(false);
    setLocal(null);
    save.reset();
  };
  const submit = () => {
    const out = printerConfigOf(draft);
    if ('issue' in out) {
      feedback('error');
      save.reset();
      setLocal(out.issue);
      return;
    }
    once(() => save.mutateAsync(out.config));
  };

  const marked = (field: PrinterField) => invalidMark(issue?.field === field, 'printer-form-issue');
  const text = (field: 'host' | 'port' | 'path' | 'baudRate' | 'name', placeholder: string, extra: { numeric?: boolean; wide?: boolean } = {}) => (
    <TextSetting
      label={t(`printerForm.field.${field}`)}
      value={draft[field]}
      onChange={(value) => set({ [field]: value })}
      testId={`printer-${field}`}
      placeholder={placeholder}
      mono={field !== 'name'}
      numeric={extra.numeric === true}
      wide={extra.wide === true}
      disabled={locked}
      invalid={marked(field)}
    />
  );

  return (
    <section className="card printer-form" data-testid="printer-form" data-dirty={dirty}>
      <h3>{t('printerForm.title')}</h3>
      <p className="hint">{locked ? t('printerForm.fromEnvironment') : t('printerForm.hint')}</p>
      <div className="form-grid">
        <ChoiceSetting
          label={t('printerForm.field.transport')}
          value={draft.transport}
          choices={PRINTER_TRANSPORTS.map((v) => ({ value: v, label: t(`printerForm.transport.${v}`) }))}
          onChange={(v) => set({ transport: PRINTER_TRANSPORTS.find((x) => x === v) ?? 'none' })}
          testId="printer-transport"
          disabled={locked}
          invalid={marked('transport')}
        />
        {draft.transport !== 'none' && (
          <ChoiceSetting
            label={t('printerForm.field.language')}
            value={draft.language}
            choices={PRINTER_LANGUAGES.map((v) => ({ value: v, label: t(`printerForm.language.${v}`) }))}
            onChange={(v) => set({ language: v === 'sbpl' ? 'sbpl' : 'zpl' })}
            testId="printer-language"
            disabled={locked}
            invalid={marked('language')}
          />
        )}
        {draft.transport === 'tcp' && (
          <>
            {text('host', '192.168.10.50')}
            {text('port', '9100', { numeric: true })}
          </>
        )}
        {draft.transport === 'serial' && (
          <>
            {text('path', '/dev/serial/by-id/…', { wide: true })}
            {text('baudRate', '9600', { numeric: true })}
          </>
        )}
        {draft.transport === 'device' && text('path', '/dev/usb/lp0', { wide: true })}
        {draft.transport !== 'none' && text('name', t('printerForm.nameHint'))}
      </div>
      {issue && (
        <p className="field-issue" role="alert" id="printer-form-issue" data-testid="printer-form-issue" data-field={issue.field ?? ''}>
          {issue.text}
        </p>
      )}
      {refusal && !issue && <NoticePanel notice={{ kind: 'error', error: refusal, during: 'other' }} />}
      <SaveBar prefix="printer" dirty={dirty} saving={saving} saved={saved} savedText={t('printerForm.saved')} onDiscard={discard} onSave={submit} locked={locked} />
    </section>
  );
}
