import { randomUUID } from 'node:crypto';
import type { ContainerView, Disposition } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import {
  closeContainer,
  findContainer,
  findOpenContainerByLabel,
  insertContainer,
  lpnsInContainer,
  openContainers,
  type ContainerRow,
} from '../../db/repositories/containers.js';
import { findItemByLpn, setItemContainer } from '../../db/repositories/items.js';
import { appendEvent } from '../../db/repositories/outbox.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { cleanScan } from '../../domain/identifiers/scan-text.js';
import { parseLpn } from '../../domain/identifiers/rma.js';
import { StationError } from './errors.js';
import type { SignedInOperator } from './session.js';
import type { containerCalls } from '../../contract/calls/container.js';
import { signedIn as op, type CallsOf, type HandlersFor } from './dispatch.js';

export interface ContainerServiceDeps {
  db: Db;
  stationId: string;
  onOutboxAppended: () => void;
  now?: () => Date;
}

function view(c: ContainerRow): ContainerView {
  return {
    containerId: c.id,
    label: c.label,
    disposition: c.disposition,
    destination: c.destination,
    status: c.status,
    itemCount: c.itemCount,
    openedAt: c.openedAt,
    closedAt: c.closedAt,
  };
}

/** Containers per disposition at the bench: items are sorted in by scanning the container's label. */
export class ContainerService {
  private readonly now: () => Date;

  constructor(private readonly deps: ContainerServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  list(): ContainerView[] {
    return openContainers(this.deps.db, this.deps.stationId).map(view);
  }

  open(op: SignedInOperator, labelCode: string, disposition: Disposition, destination: string | undefined): ContainerView {
    const { db, stationId } = this.deps;
    const label = cleanScan(labelCode).text.toUpperCase();
    if (findOpenContainerByLabel(db, label)) {
      throw new StationError('CONFLICT', 'error.containerAlreadyOpen', `Container ${label} is already open.`, { label });
    }
    const id = randomUUID();
    const at = this.now().toISOString();
    db.transaction(() => {
      insertContainer(db, { id, label, disposition, destination: destination ?? null, stationId, openedBy: op.id, openedAt: at });
      appendAudit(db, { operatorId: op.id, action: 'container.opened', entity: `container:${id}`, after: { label, disposition, destination: destination ?? null }, at });
    })();
    return view(findContainer(db, id)!);
  }

  private openByLabel(labelCode: string): ContainerRow {
    const label = cleanScan(labelCode).text.toUpperCase();
    const c = findOpenContainerByLabel(this.deps.db, label);
    if (!c) throw new StationError('NOT_FOUND', 'error.noOpenContainer', `No open container has the label ${label}. Open it first.`, { label });
    return c;
  }

  /** Puts an item into a container; refused when the item is routed elsewhere. */
  sort(op: SignedInOperator, containerLabel: string, itemCode: string): ContainerView {
    const { db, stationId } = this.deps;
    const c = this.openByLabel(containerLabel);
    const lpn = parseLpn(itemCode);
    const item = lpn.ok ? findItemByLpn(db, lpn.value) : undefined;
    if (!item) throw new StationError('NOT_FOUND', 'error.noItem', 'Scan the LPN label of a graded item.', { code: cleanScan(itemCode).text });
    if (item.disposition !== c.disposition || (c.destination !== null && c.destination !== item.destination)) {
      throw new StationError('CONFLICT', 'error.wrongContainer', `${item.lpn} goes to ${item.destination} (${item.disposition}), not into ${c.label}.`, {
        lpn: item.lpn,
        disposition: item.disposition,
        destination: item.destination,
        container: c.label,
      });
    }
    if (item.containerId === c.id) return view(c);
    const at = this.now().toISOString();
    db.transaction(() => {
      setItemContainer(db, item.id, c.id);
      appendEvent(db, 'item', item.id, {
        type: 'item.sorted',
        payload: { itemId: item.id, lpn: item.lpn, containerId: c.id, containerLabel: c.label, operatorId: op.id, stationId, sortedAt: at },
      }, at);
      appendAudit(db, { operatorId: op.id, action: 'item.sorted', entity: `item:${item.id}`, before: { containerId: item.containerId }, after: { containerId: c.id }, at });
    })();
    this.deps.onOutboxAppended();
    return view(findContainer(db, c.id)!);
  }

  close(op: SignedInOperator, containerLabel: string): ContainerView {
    const { db, stationId } = this.deps;
    const c = this.openByLabel(containerLabel);
    const at = this.now().toISOString();
    db.transaction(() => {
      if (!closeContainer(db, c.id, op.id, at)) throw new StationError('CONFLICT', 'error.containerClosed', 'This container is already closed.');
      const lpns = lpnsInContainer(db, c.id);
      appendEvent(db, 'container', c.id, {
        type: 'container.closed',
        payload: {
          containerId: c.id,
          label: c.label,
          disposition: c.disposition,
          destination: c.destination,
          lpns,
          operatorId: op.id,
          stationId,
          openedAt: c.openedAt,
          closedAt: at,
        },
      }, at);
      appendAudit(db, { operatorId: op.id, action: 'container.closed', entity: `container:${c.id}`, before: { status: 'open' }, after: { status: 'closed', items: lpns.length }, at });
    })();
    this.deps.onOutboxAppended();
    return view(findContainer(db, c.id)!);
  }
}

export function containerHandlers(containers: ContainerService): HandlersFor<CallsOf<typeof containerCalls>> {
  return {
    'container.list': () => containers.list(),
    'container.open': (ctx, i) => containers.open(op(ctx), i.label, i.disposition, i.destination),
    'container.sort': (ctx, i) => containers.sort(op(ctx), i.label, i.itemCode),
    'container.close': (ctx, i) => containers.close(op(ctx), i.label),
  };
}
