/**
 * Coded errors in one place (bolt's errors.ts). Users see `message` and `hint`, never a stack;
 * logs always get the stack.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'not_admin'
  | 'unknown_tenant'
  | 'query_invalid'
  | 'query_too_broad'
  | 'not_found'
  | 'ingest_unauthorized'
  | 'ingest_invalid'
  | 'ingest_too_large'
  | 'unsupported_media_type'
  | 'import_failed'
  | 'store_unavailable'
  | 'source_rejected'
  | 'source_unavailable'
  | 'source_malformed';

const HTTP_STATUS: Record<ErrorCode, number> = {
  config_invalid: 500,
  not_admin: 403,
  unknown_tenant: 403,
  query_invalid: 400,
  query_too_broad: 422,
  not_found: 404,
  ingest_unauthorized: 401,
  ingest_invalid: 400,
  ingest_too_large: 413,
  unsupported_media_type: 415,
  import_failed: 400,
  store_unavailable: 503,
  source_rejected: 502,
  source_unavailable: 503,
  source_malformed: 502,
};

export class AuditbotError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuditbotError';
    this.code = code;
    this.hint = options.hint;
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

export class ConfigError extends AuditbotError {
  constructor(message: string) {
    super('config_invalid', message);
    this.name = 'ConfigError';
  }
}

export function isAuditbotError(error: unknown): error is AuditbotError {
  return error instanceof AuditbotError;
}
