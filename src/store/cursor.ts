/**
 * Keyset cursors: the (timestamp, id) of the last event of a page, as opaque base64url text. Shared
 * by every EventStore so a cursor's shape never depends on the backend.
 */
export interface CursorPosition {
  /** auditTimestamp in epoch milliseconds. */
  ts: number;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.ts, position.id]), 'utf8').toString('base64url');
}

/** Throws `Error('invalid cursor')` for anything that is not a cursor this module wrote. */
export function decodeCursor(cursor: string): CursorPosition {
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new Error('invalid cursor');
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw new Error('invalid cursor');
  const [ts, id] = decoded as unknown[];
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || typeof id !== 'string' || id.length === 0) {
    throw new Error('invalid cursor');
  }
  return { ts, id };
}
