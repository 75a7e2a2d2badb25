import { api, ApiResponse, StationCallError, type ApiError, type CallName, type CallOutput } from '../../../contract/index.js';

/** An error the renderer makes itself (the wire failed, or the answer did not fit the contract). */
export function clientError(messageKey: 'error.network' | 'error.badResponse', message: string): StationCallError {
  const error: ApiError = { code: 'INTERNAL', messageKey, params: {}, message };
  return new StationCallError(error);
}

/**
 * Turns whatever came back over the wire into the call's typed output, or throws StationCallError.
 * A payload that does not match the contract is an error the screen can show, never a crash later.
 */
export function parseResponse<C extends CallName>(name: C, raw: unknown): CallOutput<C> {
  const envelope = ApiResponse.safeParse(raw);
  if (!envelope.success) throw clientError('error.badResponse', `${name}: the station answered in an unknown format`);
  if (!envelope.data.ok) throw new StationCallError(envelope.data.error);
  const output = api[name].output.safeParse(envelope.data.value);
  if (!output.success) {
    const issue = output.error.issues[0];
    throw clientError('error.badResponse', `${name}: unexpected answer (${issue?.path.join('.') ?? ''} ${issue?.message ?? ''})`.trim());
  }
  return output.data as CallOutput<C>;
}
