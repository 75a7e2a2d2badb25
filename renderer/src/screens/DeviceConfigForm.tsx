import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BenchDeviceEntry, DetectResult, DevicesConfigView } from '../../../contract/calls/devices.js';
import { useDeviceFormStore } from '../state/deviceForm.js';
import { queryKeys, useSession, useStation } from '../station/StationContext.js';
import { changed, draftIssue, draftOf, entryOf, newDraft, portChoices, type DeviceDraft } from '../ui/deviceDrafts.js';
import { toApiError } from '../ui/describe.js';
import { feedback } from '../ui/feedback.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { useOnceAtATime } from '../ui/once.js';
import { DeviceDraftFields } from './DeviceDraftFields.js';
import { SaveBar } from './SettingsParts.js';
import { DEVICE_CONFIG_KEY } from './PrinterConfigForm.js';


/**
 * The bench's device list as a form (leads and supervisors; the station refuses the calls to staff). Nothing is saved
 * but by the Save button: the fields sit in no <form>, so Enter in one sends nothing. A refused save keeps every
 * field as typed and says at the entry which field is wrong.
 */
export function DeviceConfigForm({ found }: { found: DetectResult | undefined }) {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const config = useQuery({ queryKey: DEVICE_CONFIG_KEY, queryFn: () => station.call('devices.config', {}) });
  const { drafts, draftsSet: setDrafts, keyTaken, ownedBy } = useDeviceFormStore();
  const operatorId = useSession().data?.id;
  useEffect(() => {
    if (operatorId) ownedBy(operatorId);
  }, [operatorId, ownedBy]);
  const draftsOf = (entries: readonly BenchDeviceEntry[]) => entries.map((e) => draftOf(e, keyTaken()));
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (config.data && drafts === null) setDrafts(draftsOf(config.data.devices));
  }, [config.data, drafts]);

  const save = useMutation({
    mutationFn: (devices: BenchDeviceEntry[]) => station.call('devices.configure', { devices }),
    onSuccess: (overview, devices) => {
      feedback('success');
      queryClient.setQueryData(queryKeys.devices, overview);
      queryClient.setQueryData<DevicesConfigView>(DEVICE_CONFIG_KEY, (old) => (old ? { ...old, devices } : old));
      setDrafts(draftsOf(devices));
      setSaved(true);
    },
    onError: () => feedback('error'),
  });
  const once = useOnceAtATime();

  if (!drafts || !config.data) return null;
  const saving = save.isPending;
  const dirty = changed(drafts, config.data.devices);
  const refusal = save.error ? toApiError(save.error) : null;
  const issue = refusal ? draftIssue(t, (k) => i18n.exists(k), refusal, drafts) : null;
  const ports = found ? portChoices(found) : null;

  const edit = (next: DeviceDraft[], keepRefusal: boolean) => {
    setDrafts(next);
    setSaved(false);
    // Adding or removing renumbers the entries: the refusal's number would point at another one.
    if (!keepRefusal) save.reset();
  };
  const discard = () => {
    setDrafts(draftsOf(config.data.devices));
    setSaved(false);
    save.reset();
  };

  return (
    <section className="card" data-testid="device-form" data-dirty={dirty}>
      <h3>{t('deviceForm.title')}</h3>
      <p className="hint">{t('deviceForm.hint')}</p>
      {config.data.file && <p className="hint small mono">{t('deviceForm.file', { file: config.data.file })}</p>}
      {drafts.length === 0 && <p className="hint">{t('deviceForm.none')}</p>}
      {drafts.map((d, i) => (
        <DeviceDraftFields
          key={d.key}
          n={i + 1}
          draft={d}
          ports={ports}
          bad={issue?.index === i ? issue : null}
          onChange={(next) => edit(drafts.map((x) => (x.key === d.key ? next : x)), true)}
          onRemove={() => edit(drafts.filter((x) => x.key !== d.key), false)}
        />
      ))}
      {refusal && !issue && <NoticePanel notice={{ kind: 'error', error: refusal, during: 'other' }} />}
      <SaveBar prefix="device" dirty={dirty} saving={saving} saved={saved} savedText={t('deviceForm.saved')} onDiscard={discard} onSave={() => once(() => save.mutateAsync(drafts.map(entryOf)))}>
        <button type="button" className="btn btn-secondary" onClick={() => edit([...drafts, newDraft(keyTaken(), drafts)], false)} disabled={saving} data-testid="device-add">
          {t('deviceForm.add')}
        </button>
      </SaveBar>
    </section>
  );
}
