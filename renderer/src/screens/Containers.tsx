import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Disposition, type ContainerView } from '../../../contract/index.js';
import { useStation } from '../station/StationContext.js';
import { feedback } from '../ui/feedback.js';

/** What the next scan does: open a container for a disposition, close one, or (null) the usual intake work. */
export type ContainerMode = { action: 'open'; disposition: Disposition | null } | { action: 'close' } | null;

export interface ContainerLast {
  kind: 'opened' | 'sorted' | 'closed';
  container: ContainerView;
  lpn?: string;
}

const CONTAINERS_KEY = ['containers'] as const;

/**
 * Containers at the bench, scanner-first: K then a digit picks a disposition and the next scan
 * opens a container with that label; X then a scan closes one; on a result, scanning an open
 * container's label sorts the just-graded item into it (the station refuses a wrong disposition).
 */
export function useContainers(onError: (e: unknown) => void) {
  const station = useStation();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: CONTAINERS_KEY, queryFn: () => station.call('container.list', {}) });
  const [mode, setMode] = useState<ContainerMode>(null);
  const [last, setLast] = useState<ContainerLast | null>(null);

  const done = (kind: ContainerLast['kind'], lpn?: string) => (container: ContainerView) => {
    feedback('success');
    setLast({ kind, container, ...(lpn ? { lpn } : {}) });
    setMode(null);
    void queryClient.invalidateQueries({ queryKey: CONTAINERS_KEY });
  };
  const failed = (e: unknown) => {
    feedback('error');
    setLast(null);
    onError(e);
  };
  const open = useMutation({
    mutationFn: (i: { label: string; disposition: Disposition }) => station.call('container.open', i),
    onSuccess: done('opened'),
    onError: failed,
  });
  const sort = useMutation({
    mutationFn: (i: { label: string; itemCode: string }) => station.call('container.sort', i),
    onSuccess: (c, i) => done('sorted', i.itemCode)(c),
    onError: failed,
  });
  const close = useMutation({
    mutationFn: (label: string) => station.call('container.close', { label }),
    onSuccess: done('closed'),
    onError: failed,
  });

  const containers = list.data ?? [];
  const busy = open.isPending || sort.isPending || close.isPending;

  /** True when the scan was taken as a container action; false leaves it to intake. */
  const handleScan = (code: string, gradedLpn: string | null): boolean => {
    if (mode?.action === 'open') {
      if (mode.disposition) open.mutate({ label: code, disposition: mode.disposition });
      return true;
    }
    if (mode?.action === 'close') {
      close.mutate(code);
      return true;
    }
    // The station upper-cases labels; compare the same way so a lower-case typed label still sorts.
    const target = containers.find((c) => c.label === code.trim().toUpperCase());
    if (target && gradedLpn) {
      sort.mutate({ label: target.label, itemCode: gradedLpn });
      return true;
    }
    return false;
  };

  /** True when the key was a container key. */
  const handleKey = (key: string): boolean => {
    const k = key.toLowerCase();
    if (key === 'Escape' && mode) {
      setMode(null);
      return true;
    }
    if (mode?.action === 'open' && !mode.disposition) {
      const d = Disposition.options[Number(key) - 1];
      if (/^[1-9]$/.test(key) && d) {
        setMode({ action: 'open', disposition: d });
        return true;
      }
    }
    if (k === 'k') {
      setMode({ action: 'open', disposition: null });
      return true;
    }
    if (k === 'x') {
      setMode({ action: 'close' });
      return true;
    }
    return false;
  };

  return { containers, mode, setMode, last, busy, handleScan, handleKey };
}

export type Containers = ReturnType<typeof useContainers>;

export function ContainersPanel({ c, canSort }: { c: Containers; canSort: boolean }) {
  const { t } = useTranslation();
  const { mode } = c;
  let prompt: string;
  if (mode?.action === 'open') {
    prompt = mode.disposition ? t('containers.scanNewLabel', { disposition: t(`result.disposition.${mode.disposition}`) }) : t('containers.pickDisposition');
  } else if (mode?.action === 'close') prompt = t('containers.scanToClose');
  else prompt = canSort && c.containers.length > 0 ? t('containers.scanToSort') : t('containers.hint');

  return (
    <section className="card containers" data-testid="containers-panel" data-mode={mode ? `${mode.action}${mode.action === 'open' && mode.disposition ? `-${mode.disposition}` : ''}` : 'idle'}>
      <div className="row between">
        <h3>{t('containers.title')}</h3>
        <div className="row">
          <button type="button" className="btn btn-secondary btn-small" onClick={() => c.setMode({ action: 'open', disposition: null })} data-testid="container-open-start">
            <kbd>K</kbd> {t('containers.open')}
          </button>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => c.setMode({ action: 'close' })} data-testid="container-close-start">
            <kbd>X</kbd> {t('containers.close')}
          </button>
          {mode && (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => c.setMode(null)} data-testid="container-cancel">
              <kbd>Esc</kbd> {t('blind.cancel')}
            </button>
          )}
        </div>
      </div>
      <p className={mode ? 'container-prompt' : 'hint'} data-testid="container-prompt">
        {prompt}
      </p>
      {mode?.action === 'open' && !mode.disposition && (
        <div className="offer-buttons" data-testid="container-dispositions">
          {Disposition.options.map((d, i) => (
            <button key={d} type="button" className="btn btn-secondary" onClick={() => c.setMode({ action: 'open', disposition: d })} data-testid={`container-disposition-${d}`}>
              <kbd>{i + 1}</kbd> {t(`result.disposition.${d}`)}
            </button>
          ))}
        </div>
      )}
      {c.last && (
        <p className="ok-text" data-testid="container-last" data-kind={c.last.kind} data-label={c.last.container.label}>
          {t(`containers.done.${c.last.kind}`, { label: c.last.container.label, lpn: c.last.lpn ?? '', count: c.last.container.itemCount })}
        </p>
      )}
      {c.containers.length === 0 ? (
        <p className="hint" data-testid="containers-none">
          {t('containers.none')}
        </p>
      ) : (
        <table className="table" data-testid="containers-table">
          <thead>
            <tr>
              <th>{t('containers.label')}</th>
              <th>{t('reports.disposition')}</th>
              <th>{t('result.destination')}</th>
              <th className="num">{t('containers.items')}</th>
            </tr>
          </thead>
          <tbody>
            {c.containers.map((x) => (
              <tr key={x.containerId} data-testid="container-row" data-label={x.label} data-count={x.itemCount} data-disposition={x.disposition}>
                <td className="mono">{x.label}</td>
                <td>{t(`result.disposition.${x.disposition}`)}</td>
                <td>{x.destination ? t(`destinationName.${x.destination}`, { defaultValue: x.destination }) : t('containers.anyDestination')}</td>
                <td className="num">{x.itemCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
