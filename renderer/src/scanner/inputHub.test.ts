import { describe, expect, it } from 'vitest';
import { InputHub } from './inputHub.js';
import type { ScanInput } from './scanInput.js';

function hubWithScreen() {
  let alarms = 0;
  const hub = new InputHub(() => void alarms++);
  const keys: string[] = [];
  const scans: ScanInput[] = [];
  let changes = 0;
  hub.onKey((k) => void keys.push(k));
  hub.subscribe(() => void changes++);
  return { hub, keys, scans, alarms: () => alarms, changes: () => changes };
}

describe('InputHub: keys pressed together', () => {
  it('acts on none of them and keeps a notice with the keys, on a screen that takes no scans (Review)', () => {
    const s = hubWithScreen();
    s.hub.typed(['a', 'j']);
    expect(s.keys).toEqual([]);
    expect(s.hub.keysTogether()).toEqual(['a', 'j']);
    expect(s.alarms()).toBe(1);
    expect(s.changes()).toBe(1);
  });

  it('says it itself: a screen that takes scans is not handed them as a scan problem', () => {
    const s = hubWithScreen();
    s.hub.onScan((scan) => void s.scans.push(scan));
    s.hub.typed(['2', '1', '3']);
    expect(s.scans).toEqual([]);
    expect(s.keys).toEqual([]);
    expect(s.hub.keysTogether()).toEqual(['2', '1', '3']);
  });

  it('a key alone acts as usual and takes the notice away; so does a scan, or dismissing it', () => {
    const s = hubWithScreen();
    s.hub.typed(['2']);
    expect(s.keys).toEqual(['2']);
    expect(s.hub.keysTogether()).toBeNull();
    expect(s.alarms()).toBe(0);

    s.hub.typed(['2', '1']);
    s.hub.typed(['1']);
    expect(s.keys).toEqual(['2', '1']);
    expect(s.hub.keysTogether()).toBeNull();

    s.hub.typed(['2', '1']);
    s.hub.scan({ kind: 'scan', text: 'RMA-1', source: 'wedge' });
    expect(s.hub.keysTogether()).toBeNull();

    // Esc dismisses the notice only: it does not also cancel what the screen has open.
    s.hub.typed(['2', '1']);
    s.hub.key('Escape');
    expect(s.hub.keysTogether()).toBeNull();
    expect(s.keys).toEqual(['2', '1']);
    s.hub.key('Escape');
    expect(s.keys).toEqual(['2', '1', 'Escape']);

    s.hub.typed(['x', 'y']);
    const before = s.changes();
    s.hub.dismissKeysTogether();
    expect(s.hub.keysTogether()).toBeNull();
    expect(s.changes()).toBe(before + 1);
    // Nothing stands: nothing to tell the watchers.
    s.hub.dismissKeysTogether();
    expect(s.changes()).toBe(before + 1);
    expect(s.alarms()).toBe(4);
  });

  it('keeps one snapshot while the notice stands (useSyncExternalStore would otherwise render forever)', () => {
    const s = hubWithScreen();
    s.hub.typed(['a', 'b']);
    expect(s.hub.keysTogether()).toBe(s.hub.keysTogether());
  });

  it('the newest key handler hears a key first; one that passes hands it down', () => {
    const hub = new InputHub();
    const heard: string[] = [];
    hub.onKey((k) => void heard.push(`screen:${k}`));
    const off = hub.onKey((k) => (k === 'Escape' ? void heard.push(`panel:${k}`) : 'pass'));
    hub.typed(['j']);
    hub.key('Escape');
    off();
    hub.key('Escape');
    expect(heard).toEqual(['screen:j', 'panel:Escape', 'screen:Escape']);
  });

  it('nothing typed is nothing: no key, no notice', () => {
    const s = hubWithScreen();
    s.hub.typed([]);
    expect(s.keys).toEqual([]);
    expect(s.hub.keysTogether()).toBeNull();
    expect(s.changes()).toBe(0);
  });
});

describe('InputHub: scans that could not be read', () => {
  const kana: ScanInput = { kind: 'problem', problems: [{ kind: 'ime-kana' }], raw: 'ちのらほ' };

  it('a screen that shows scan problems itself (Intake) gets them; the hub keeps no notice and sounds no tone', () => {
    const s = hubWithScreen();
    s.hub.onScan((scan) => void s.scans.push(scan));
    s.hub.scan(kana);
    expect(s.scans).toEqual([kana]);
    expect(s.hub.notice()).toBeNull();
    expect(s.alarms()).toBe(0);
  });

  it('when every screen passes it (Review, Reports, Devices), the hub answers it with the same notice and one tone', () => {
    const s = hubWithScreen();
    s.hub.onScan((scan) => (scan.kind === 'scan' ? void s.scans.push(scan) : 'pass'));
    s.hub.onScan(() => 'pass');
    s.hub.scan(kana);
    expect(s.scans).toEqual([]);
    expect(s.hub.notice()).toEqual({ problems: [{ kind: 'ime-kana' }], raw: 'ちのらほ' });
    expect(s.hub.keysTogether()).toBeNull();
    expect(s.alarms()).toBe(1);
    // Same snapshot while it stands (useSyncExternalStore).
    expect(s.hub.notice()).toBe(s.hub.notice());
    // Esc only takes it away; a good scan next also does, and reaches the screen.
    s.hub.key('Escape');
    expect(s.hub.notice()).toBeNull();
    expect(s.keys).toEqual([]);
    s.hub.scan(kana);
    s.hub.scan({ kind: 'scan', text: 'RMA-1', source: 'wedge' });
    expect(s.hub.notice()).toBeNull();
    expect(s.scans).toEqual([{ kind: 'scan', text: 'RMA-1', source: 'wedge' }]);
  });

  it('with no screen listening at all, a problem is still answered; a good scan passed by everyone is not', () => {
    const s = hubWithScreen();
    s.hub.scan({ kind: 'problem', problems: [{ kind: 'device-unreadable', device: 'HID' }], raw: '' });
    expect(s.hub.notice()?.problems).toEqual([{ kind: 'device-unreadable', device: 'HID' }]);
    s.hub.dismissKeysTogether();
    s.hub.scan({ kind: 'scan', text: 'x', source: 'wedge' });
    expect(s.hub.notice()).toBeNull();
  });

  it('a screen that passes a good scan hands it to the one below (Review passes what is not an LPN on to intake)', () => {
    const hub = new InputHub();
    const heard: string[] = [];
    hub.onScan((scan) => void heard.push(`app:${scan.kind === 'scan' ? scan.text : '?'}`));
    hub.onScan((scan) => (scan.kind === 'scan' && scan.text.startsWith('LPN') ? void heard.push(`review:${scan.text}`) : 'pass'));
    hub.scan({ kind: 'scan', text: 'LPN-B-0000001', source: 'wedge' });
    hub.scan({ kind: 'scan', text: 'RMA-1', source: 'wedge' });
    expect(heard).toEqual(['review:LPN-B-0000001', 'app:RMA-1']);
  });
});
