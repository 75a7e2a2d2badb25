import type { ApiError, ErrorCode } from '../contract/index.js';

/** An expected failure the operator should read: carries an i18n key for the renderer. */
export class StationError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly messageKey: string,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'StationError';
  }

  toApiError(): ApiError {
    return { code: this.code, messageKey: this.messageKey, params: this.params, message: this.message };
  }
}
