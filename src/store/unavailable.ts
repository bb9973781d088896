import { AuditbotError } from '../errors.js';

/*
 * "The store cannot answer right now" — PostgreSQL down or restarting, the network gone, SQLite
 * locked past its busy timeout — told apart from every other failure by error code, never by text,
 * so the edges answer 503 with a sentence instead of "something went wrong".
 */

/** Node's codes for a connection that could not be made or was lost. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** SQLSTATEs of a server that cannot serve now: too many connections, shutting down, starting up. */
const SERVER_BUSY_STATES = new Set(['53300', '57P01', '57P02', '57P03']);

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** A connection the store could not get at all (refused, timed out): whatever pg said, it is an outage. */
export function connectionFailed(error: unknown): AuditbotError {
  return new AuditbotError(
    'store_unavailable',
    'The event store cannot be reached right now (no connection); nothing was done.',
    {
      hint: 'auditbot reconnects on its own: try again in a moment. Operators: check that the database is up and reachable.',
      cause: error,
    },
  );
}

export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof AuditbotError) return error.code === 'store_unavailable';
  const code = codeOf(error);
  if (code === null) return false;
  // Class 08: connection exceptions.
  return (
    NETWORK_CODES.has(code) ||
    SERVER_BUSY_STATES.has(code) ||
    code.startsWith('08') ||
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_LOCKED')
  );
}

/** The error to show for a failure isStoreUnavailable recognised. */
export function storeUnavailableError(error: unknown): AuditbotError {
  if (error instanceof AuditbotError) return error;
  return new AuditbotError(
    'store_unavailable',
    `The event store cannot be reached right now (${codeOf(error) ?? 'unavailable'}); what was asked may not have been done.`,
    {
      hint: 'auditbot reconnects on its own: try again in a moment — sending the same events again is safe, they are stored once. Operators: check that the database is up.',
      cause: error,
    },
  );
}
