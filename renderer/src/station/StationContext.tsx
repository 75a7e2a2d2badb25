import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { OperatorView, StationClient } from '../../../contract/index.js';
import type { StationConnection } from './index.js';
import { newerDevices } from './newerDevices.js';

const StationContext = createContext<StationConnection | null>(null);

export const queryKeys = {
  info: ['system.info'] as const,
  session: ['session'] as const,
  setup: ['setup.status'] as const,
  sync: ['sync'] as const,
  devices: ['devices', 'status'] as const,
  parcel: (parcelId: string) => ['parcel', parcelId] as const,
  graded: (itemId: string) => ['graded', itemId] as const,
  labelPreview: (itemId: string, language: string) => ['labelPreview', itemId, language] as const,
};

/**
 * A listener of the event channel's state that calls `back` each time the channel comes up after it was down (not at
 * the first connection): the station or the site hub answers again.
 */
export function whenBack(back: () => void): (connected: boolean) => void {
  let down = false;
  return (connected) => {
    if (!connected) down = true;
    else if (down) {
      down = false;
      back();
    }
  };
}

/**
 * Provides the station client and keeps the query cache in step with what the main side pushes. When the event channel
 * comes back (the site hub or the station answers again), every screen's data is asked for again: what failed while
 * it was away ("the site hub does not answer", the bar's hub notice) goes away by itself, and what it pushed meanwhile
 * is not missed.
 */
export function StationProvider({ connection, children }: { connection: StationConnection; children: ReactNode }) {
  const queryClient = useQueryClient();
  useEffect(() => connection.onConnection(whenBack(() => void queryClient.invalidateQueries())), [connection, queryClient]);
  useEffect(() => {
    const offs = [
      connection.client.on('sync.status', (status) => queryClient.setQueryData(queryKeys.sync, status)),
      // Events go to every window; re-ask for this window's own session rather than trusting the payload.
      connection.client.on('session.changed', () => void queryClient.invalidateQueries({ queryKey: queryKeys.session })),
    ];
    return () => offs.forEach((off) => off());
  }, [connection, queryClient]);
  return <StationContext.Provider value={connection}>{children}</StationContext.Provider>;
}

export function useStationConnection(): StationConnection {
  const c = useContext(StationContext);
  if (!c) throw new Error('StationProvider is missing');
  return c;
}

export function useStation(): StationClient {
  return useStationConnection().client;
}

export function useSystemInfo() {
  const station = useStation();
  return useQuery({ queryKey: queryKeys.info, queryFn: () => station.call('system.info', {}), staleTime: Infinity });
}

export function useSession() {
  const station = useStation();
  return useQuery<OperatorView | null>({ queryKey: queryKeys.session, queryFn: () => station.call('session.current', {}) });
}

/** Whether the station still needs its first supervisor (a fresh production install). */
export function useSetupStatus(enabled: boolean) {
  const station = useStation();
  return useQuery({ queryKey: queryKeys.setup, queryFn: () => station.call('setup.status', {}), enabled });
}

export function useSyncStatus(enabled: boolean) {
  const station = useStation();
  // Pushed events keep it fresh; the slow poll only covers a dropped event channel.
  return useQuery({ queryKey: queryKeys.sync, queryFn: () => station.call('sync.status', {}), enabled, refetchInterval: 15_000 });
}

/**
 * Every device's status (the Devices screen, and the header's alerts on every screen), kept current by the station's
 * `device.status` push, so a pulled cable shows at once; the poll only covers a dropped event channel.
 */
export function useDeviceStatus(refetchInterval: number) {
  const station = useStation();
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: queryKeys.devices,
    queryFn: async () => {
      const answer = await station.call('devices.status', {});
      const shown = queryClient.getQueryData<typeof answer>(queryKeys.devices);
      return { ...answer, devices: newerDevices(shown?.devices, answer.devices) };
    },
    refetchInterval,
  });
  useEffect(
    () =>
      station.on('device.status', (devices) => {
        // Before the first answer there is nothing to update: ask, rather than let the change wait for the poll.
        if (!queryClient.getQueryData(queryKeys.devices)) void queryClient.invalidateQueries({ queryKey: queryKeys.devices });
        else queryClient.setQueryData<typeof status.data>(queryKeys.devices, (old) => (old ? { ...old, devices } : old));
      }),
    [station, queryClient],
  );
  return status;
}

/** Whether the pushed-event channel is up (the preview's WebSocket; always up over IPC). */
export function useEventsConnected(): boolean {
  const connection = useStationConnection();
  return useSyncExternalStore(
    (notify) => connection.onConnection(() => notify()),
    () => connection.isConnected(),
  );
}
