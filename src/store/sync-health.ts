import type { EventStore } from './event-store.js';

/*
 * What the 8x8 sync tells every reader of the store, whichever instance wrote it: how far a tenant's
 * data is complete, and what went wrong with a stream's last pass. Kept at the store's floor so the
 * sync (which writes) and the bot (which shows it in `status`) share the keys without knowing each other.
 */

/** A stream of the sync: one service of a tenant, in one region. */
export interface SyncStream {
  customerId: string;
  service: string;
  region: string | null;
}

/** The last pass of a stream that failed, until a later pass succeeds. */
export interface SyncProblem {
  /** ISO instant of the failure. */
  at: string;
  message: string;
}

/** Store key under which the 8x8 API sync keeps its per-tenant "complete up to" (ISO instant). */
export function freshnessKey(customerId: string): string {
  return `freshness:${customerId}`;
}

function problemKey(stream: SyncStream): string {
  return `eightx8:problem:${stream.customerId}:${stream.service.toLowerCase()}:${stream.region?.toLowerCase() ?? '-'}`;
}

export function recordSyncProblem(store: EventStore, stream: SyncStream, problem: SyncProblem): Promise<void> {
  return store.setState(problemKey(stream), problem);
}

export function clearSyncProblem(store: EventStore, stream: SyncStream): Promise<void> {
  return store.deleteState(problemKey(stream));
}

export async function readSyncProblem(store: EventStore, stream: SyncStream): Promise<SyncProblem | null> {
  const value = await store.getState<SyncProblem>(problemKey(stream));
  return value !== null && typeof value.message === 'string' && typeof value.at === 'string' ? value : null;
}
