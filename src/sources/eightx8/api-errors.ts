import { AuditbotError } from '../../errors.js';

/** Where API keys for the Audit Records API are made, for every "fix it" hint. */
const KEY_HINT = 'Create or check the key in the 8x8 Admin Console under API Keys, then set EIGHTX8_API_KEY.';

/**
 * The 8x8 API refused a request in a way retrying cannot fix (400, 401, 403, 404). Carries the HTTP
 * status so callers decide by status, never by message text.
 */
export class EightX8RequestError extends AuditbotError {
  readonly httpStatus: number;

  constructor(httpStatus: number, message: string, hint?: string) {
    super('source_rejected', message, { hint });
    this.name = 'EightX8RequestError';
    this.httpStatus = httpStatus;
  }
}

/** The 8x8 API stayed unavailable (5xx, 429, timeouts, network) after every retry. */
export class EightX8UnavailableError extends AuditbotError {
  readonly attempts: number;

  constructor(message: string, attempts: number, cause?: unknown) {
    super('source_unavailable', message, {
      hint: 'auditbot retries on its own at the next poll; check network access to the API base URL (EIGHTX8_API_URL).',
      cause,
    });
    this.name = 'EightX8UnavailableError';
    this.attempts = attempts;
  }
}

/**
 * The 8x8 API kept answering with a body that does not follow its contract (no `data` array, a
 * `meta` of the wrong shape, not JSON). Nothing of the window is taken as seen: its watermark stays.
 */
export class EightX8MalformedReplyError extends AuditbotError {
  readonly attempts: number;

  constructor(what: string, problem: string, attempts: number) {
    super(
      'source_malformed',
      `The 8x8 API answered ${what} with a reply that does not follow its contract (${problem}, ${attempts} attempt${attempts === 1 ? '' : 's'}); this window stays unsynced`,
      {
        hint: 'auditbot tries the window again at the next poll; if it persists, check that EIGHTX8_API_URL points at the Audit Records API and not at a proxy or another service.',
      },
    );
    this.name = 'EightX8MalformedReplyError';
    this.attempts = attempts;
  }
}

/** The `message` of the documented `{timestamp,status,error,message,path}` error body, when there is one. */
export function serverMessage(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') {
      return parsed.message;
    }
  } catch {
    // Not JSON (a proxy's HTML page): fall through to the raw text below.
  }
  const text = body.trim().slice(0, 300);
  return text === '' ? null : text;
}

/** The clear error for a status that retrying will not change. */
export function rejectionError(status: number, body: string, what: string): EightX8RequestError {
  const said = serverMessage(body);
  switch (status) {
    case 400:
      return new EightX8RequestError(
        400,
        `The 8x8 API rejected ${what}: "${said ?? 'Bad Request'}"`,
        'This is a bug in auditbot if it persists — please report it with this message.',
      );
    case 401:
      return new EightX8RequestError(
        401,
        'API key rejected — create or check it in the Admin Console under API Keys',
        KEY_HINT,
      );
    case 403:
      return new EightX8RequestError(
        403,
        `The 8x8 API key is not allowed to read ${what}${said ? ` ("${said}")` : ''} — the key lacks access to this service or customer`,
        'In the Admin Console under API Keys, give the key access to the Audit Records API for this service, or use a key of this customer.',
      );
    case 404:
      return new EightX8RequestError(
        404,
        `The 8x8 API answered 404 Not Found for ${what} — the base URL is probably wrong`,
        'Check EIGHTX8_API_URL (default https://api.8x8.com/administration/audit/v1).',
      );
    default:
      return new EightX8RequestError(status, `The 8x8 API answered ${status} for ${what}${said ? `: "${said}"` : ''}`);
  }
}
