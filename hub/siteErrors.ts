import { KeyedError } from '../contract/index.js';

/**
 * An expected refusal of a site call (roster, hub UI, site review): the contract's ApiError shape, with an
 * i18n key, so the hub UI and a bench say it in the operator's language.
 */
export class SiteError extends KeyedError {
  override name = 'SiteError';

  /** The HTTP status a bench-facing endpoint answers with. */
  get status(): number {
    switch (this.code) {
      case 'UNAUTHENTICATED':
        return 401;
      case 'FORBIDDEN':
        return 403;
      case 'NOT_FOUND':
        return 404;
      case 'CONFLICT':
        return 409;
      case 'LOCKED':
        return 423;
      case 'INVALID_INPUT':
        return 400;
      default:
        return 500;
    }
  }
}
