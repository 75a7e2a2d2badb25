import { useTranslation } from 'react-i18next';
import type { DeviceStatus } from '../../../contract/index.js';
import { useNavigationStore } from '../state/navigation.js';
import { useDeviceStatus } from '../station/StationContext.js';
import { describeDeviceReason } from '../ui/describe.js';

/** States an operator must hear about wherever they are: the device is gone or cannot be used. */
const DOWN: ReadonlySet<DeviceStatus['state']> = new Set(['reconnecting', 'error']);

/** The devices that are down, in the order the station lists them. */
export function devicesDown(devices: readonly DeviceStatus[] | undefined): DeviceStatus[] {
  return (devices ?? []).filter((d) => DOWN.has(d.state));
}

/**
 * A scanner unplugged mid-shift, a printer out of labels or switched off: said in the header on every screen, not
 * only on the Devices screen, which staff at the bench rarely open (a pulled serial scanner otherwise just goes
 * quiet). Each is a button to the Devices screen; the reason is in the operator's language (in full in the tooltip,
 * with the station's English). The list shares the Devices screen's query and is kept current by the station's `device.status` push.
 */
export function DeviceAlerts() {
  const { t } = useTranslation();
  const screenChosen = useNavigationStore((s) => s.screenChosen);
  const status = useDeviceStatus(15_000);
  const down = devicesDown(status.data?.devices);
  if (down.length === 0) return null;
  return (
    <>
      {down.map((d) => (
        <button
          key={d.deviceId}
          type="button"
          className="badge badge-bad device-alert"
          data-testid="device-alert"
          data-device-id={d.deviceId}
          data-state={d.state}
          title={d.reason ? `${describeDeviceReason(t, d)}\n${d.reason}` : undefined}
          onClick={() => screenChosen('devices')}
        >
          {t('devices.alert', { device: t(`devices.kind.${d.kind}`), state: t(`devices.state.${d.state}`) })}
          {d.reason ? ` — ${describeDeviceReason(t, d)}` : ''}
        </button>
      ))}
    </>
  );
}
