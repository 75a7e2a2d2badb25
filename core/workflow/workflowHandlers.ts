import type { HandlersFor } from './dispatch.js';
import type { ContainerService } from './containers.js';
import type { DeadLetterService } from './deadLetters.js';
import type { GradingService } from './grading.js';
import type { IntakeService } from './intake.js';
import type { ParcelService } from './parcels.js';
import type { PhotoService } from './photos.js';
import type { ReviewService } from './review.js';
import type { RulesService } from './rules.js';
import type { SignedInOperator } from './session.js';

export interface WorkflowServices {
  intake: IntakeService;
  parcels: ParcelService;
  grading: GradingService;
  photos: PhotoService;
  rules: RulesService;
  containers: ContainerService;
  review: ReviewService;
  deadLetters: DeadLetterService;
}

type WorkflowCall =
  | 'parcel.open'
  | 'parcel.matchItem'
  | 'item.grade'
  | 'parcel.get'
  | 'parcel.search'
  | 'parcel.receiveUnexpected'
  | 'parcel.listUnlinked'
  | 'parcel.linkRma'
  | 'parcel.close'
  | 'parcel.reopen'
  | 'grading.profile'
  | 'photo.attach'
  | 'photo.get'
  | 'photo.customer'
  | 'rules.get'
  | 'rules.dryRun'
  | 'rules.publish'
  | 'container.list'
  | 'container.open'
  | 'container.sort'
  | 'container.close'
  | 'review.list'
  | 'review.get'
  | 'review.approve'
  | 'review.override'
  | 'review.bulkApprove'
  | 'sync.deadLetters'
  | 'sync.retryDeadLetter'
  | 'sync.skipDeadLetter';

/** The dispatcher has already checked the role, so a non-public call always has an operator. */
function op(ctx: { operator: SignedInOperator | null }): SignedInOperator {
  if (!ctx.operator) throw new Error('no operator on a call that requires sign-in');
  return ctx.operator;
}

/** Handlers of the returns workflow calls, for the composition root to spread into its map. */
export function workflowHandlers(s: WorkflowServices): HandlersFor<WorkflowCall> {
  return {
    'parcel.open': (ctx, i) => s.intake.openParcel(op(ctx), i.code, { splitShipment: i.splitShipment }),
    'parcel.matchItem': (ctx, i) => s.intake.matchItem({ sessionKey: ctx.sessionKey, operatorId: op(ctx).id }, i.parcelId, i.code),
    'item.grade': (ctx, i) => s.grading.gradeItem(op(ctx), i, ctx.sessionKey),
    'parcel.get': (_ctx, i) => s.intake.view(i.parcelId),
    'parcel.search': (_ctx, i) => s.parcels.search(i.q),
    'parcel.receiveUnexpected': (ctx, i) => s.parcels.receiveUnexpected(op(ctx), i),
    'parcel.listUnlinked': () => s.parcels.listUnlinked(),
    'parcel.linkRma': (ctx, i) => s.parcels.linkRma(op(ctx), i.parcelId, i.rmaNumber),
    'parcel.close': (ctx, i) => s.parcels.close(op(ctx), i.parcelId, { confirmUnreceived: i.confirmUnreceived }),
    'parcel.reopen': (ctx, i) => s.parcels.reopen(op(ctx), i.parcelId, i.reason),
    'grading.profile': (_ctx, i) => s.grading.profile(i.category),
    'photo.attach': (ctx, i) => s.photos.attach(op(ctx), i.dataBase64, i.itemId),
    'photo.get': (_ctx, i) => s.photos.get(i.sha256),
    'photo.customer': (_ctx, i) => s.photos.getCustomer(i.sha256),
    'rules.get': () => ({ current: s.rules.current(), history: s.rules.history() }),
    'rules.dryRun': (_ctx, i) => s.rules.dryRun(i.rules, i.limit),
    'rules.publish': (ctx, i) => s.rules.publish(op(ctx), i.rules, i.note),
    'container.list': () => s.containers.list(),
    'container.open': (ctx, i) => s.containers.open(op(ctx), i.label, i.disposition, i.destination),
    'container.sort': (ctx, i) => s.containers.sort(op(ctx), i.label, i.itemCode),
    'container.close': (ctx, i) => s.containers.close(op(ctx), i.label),
    'review.list': (_ctx, i) => s.review.list(i),
    'review.get': (_ctx, i) => s.review.get(i.itemId),
    'review.approve': (ctx, i) => s.review.approve(op(ctx), i.itemId, i.note),
    'review.override': (ctx, i) => s.review.override(op(ctx), i),
    'review.bulkApprove': (ctx, i) => s.review.bulkApprove(op(ctx), i.itemIds),
    'sync.deadLetters': () => s.deadLetters.list(),
    'sync.retryDeadLetter': (ctx, i) => s.deadLetters.retry(op(ctx), i.id),
    'sync.skipDeadLetter': (ctx, i) => s.deadLetters.skip(op(ctx), i.id, i.reason),
  };
}
