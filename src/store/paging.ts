import type { AuditEvent } from '../domain/audit-event.js';
import type { SearchPage } from './event-store.js';

export function assertPositiveInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

/**
 * Every match in keyset pages fetched whole, for `EventStore.stream`: no statement iterator or
 * connection stays open while the consumer awaits, and memory holds one page at a time.
 */
export async function* streamPages(
  searchPage: (cursor: string | null, limit: number) => SearchPage | Promise<SearchPage>,
  batchSize = 1000,
): AsyncGenerator<AuditEvent> {
  assertPositiveInteger(batchSize, 'batchSize');
  let cursor: string | null = null;
  do {
    const page: SearchPage = await searchPage(cursor, batchSize);
    yield* page.events;
    cursor = page.nextCursor;
  } while (cursor !== null);
}
