import { api, isCallName, type ApiResponse, type CallName, type CallOutput, type Role } from '../../contract/index.js';
import type { z } from 'zod';
import { proposedRulesRefusal } from '../../domain/rules/ruleSetVersions.js';
import { printerRefusal } from './deviceIssues.js';
import { StationError, storageError } from './errors.js';

/** Who is signed in on a session (defined here, not in session.ts, so session.ts can supply its handlers). */
export interface SignedInOperator {
  id: string;
  name: string;
  role: Role;
}

/** What the dispatcher asks the sessions: who is signed in, and whether this call keeps the session alive. */
export interface SessionGate {
  current(sessionKey: string, touch: boolean): SignedInOperator | null;
}

export interface CallContext {
  sessionKey: string;
  /** Present for every call that is not public. */
  operator: SignedInOperator | null;
}

type ParsedInput<C extends CallName> = z.output<(typeof api)[C]['input']>;

export type Handlers = {
  [C in CallName]: (ctx: CallContext, input: ParsedInput<C>) => Promise<CallOutput<C>> | CallOutput<C>;
};

/** The handlers of one area (e.g. `CallsOf<typeof parcelCalls>`), so each service module supplies its own. */
export type HandlersFor<K extends CallName> = Pick<Handlers, K>;

/** The call names of one contract area, e.g. `CallsOf<typeof parcelCalls>`. */
export type CallsOf<T> = Extract<keyof T, CallName>;

/** The operator of a call that is not public: the dispatcher has already refused it without one. */
export function signedIn(ctx: CallContext): SignedInOperator {
  if (!ctx.operator) throw new Error('no operator on a call that requires sign-in');
  return ctx.operator;
}

function fail(error: StationError): ApiResponse {
  return { ok: false, error: error.toApiError() };
}

const internalError = (): StationError => new StationError('INTERNAL', 'error.internal', 'Something went wrong inside the station. The work so far is saved; try again.');

/** How a call's commits reach the disk when the connection does not sync them itself (db/durableCommits.ts). */
export interface CommitGate {
  changes(): number;
  durable(): Promise<void>;
}

export interface Dispatcher {
  handle(sessionKey: string, name: string, rawInput: unknown): Promise<ApiResponse>;
}

/**
 * The single gate every transport goes through: unknown calls, malformed input and
 * missing roles are refused here, before any handler runs. With `commits`, a call that changed something
 * answers only once its changes are on disk, whether it succeeded or failed after a commit, unless its spec says
 * it `answersBeforeSync` (contract/calls/define.ts).
 */
export function createDispatcher(handlers: Handlers, sessions: SessionGate, log: (msg: string, err: unknown) => void, commits?: CommitGate): Dispatcher {
  const run = async (sessionKey: string, name: string, rawInput: unknown): Promise<ApiResponse> => {
    const before = commits?.changes();
    const response = await answer(sessionKey, name, rawInput);
    if (!commits || commits.changes() === before) return response;
    if (isCallName(name) && api[name].answersBeforeSync === true) return response;
    try {
      await commits.durable();
      return response;
    } catch (err) {
      log(`call ${name}: its changes could not be synced to disk`, err);
      return fail(storageError(err) ?? internalError());
    }
  };
  const answer = async (sessionKey: string, name: string, rawInput: unknown): Promise<ApiResponse> => {
    if (!isCallName(name)) return fail(new StationError('NOT_FOUND', 'error.unknownCall', `Unknown call: ${String(name).slice(0, 60)}`));
    const spec = api[name];
    // Roles first: a caller without the right role learns nothing about a call's input schema.
    // Only the operator's own actions keep a session alive; the renderer's polls (`background`) do not.
    const operator = sessions.current(sessionKey, spec.background !== true);
    if (spec.access !== 'public') {
      if (!operator) return fail(new StationError('UNAUTHENTICATED', 'error.signInFirst', 'Sign in first: scan your badge.'));
      if (!spec.access.includes(operator.role)) {
        return fail(new StationError('FORBIDDEN', 'error.forbidden', 'Your role may not do this. Ask a lead or supervisor.', { role: operator.role }));
      }
    }
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      // Proposed rules that do not parse: refused as a rule set, naming the rule and what is wrong with it.
      const rules = name.startsWith('rules.') ? proposedRulesRefusal(parsed.error.issues, rawInput) : null;
      if (rules) return fail(new StationError('INVALID_INPUT', 'error.ruleSetInvalid', rules.message, rules.params));
      // A printer from the Devices screen: refused naming its field and the problem, as a device list is.
      const printer = name === 'devices.configurePrinter' ? printerRefusal(parsed.error.issues, rawInput) : null;
      if (printer) return fail(printer);
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'input';
      // A refinement may name its own message (e.g. error.dateRange); other issues name the field, which
      // the renderer turns into that field's advice in the operator's language.
      const own = issue?.code === 'custom' && typeof issue.params?.messageKey === 'string' ? issue.params.messageKey : null;
      return fail(new StationError('INVALID_INPUT', own ?? 'error.invalidInput', `${where}: ${issue?.message ?? 'invalid'}`, { field: where }));
    }
    try {
      const handler = handlers[name] as (ctx: CallContext, input: unknown) => unknown;
      const value = await handler({ sessionKey, operator }, parsed.data);
      return { ok: true, value: spec.output.parse(value) };
    } catch (err) {
      if (err instanceof StationError) return fail(err);
      log(`call ${name} failed`, err);
      const storage = storageError(err);
      if (storage) return fail(storage);
      return fail(internalError());
    }
  };
  return { handle: run };
}
