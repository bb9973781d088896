import type { AuditEvent } from '../../domain/audit-event.js';
import type { TimeRange } from '../../domain/event-filter.js';
import { DAY_MS, splitWindows } from '../../domain/time-range.js';
import type { Logger } from '../../logger.js';
import type { EventStore } from '../../store/event-store.js';
import { type QuarantinedRecord, rawText } from '../../store/quarantine.js';
import { clearSyncProblem, recordSyncProblem } from '../../store/sync-health.js';
import { normalizeApiItem } from '../normalize-api.js';
import { type AuditRecordsClient, MAX_WINDOW_DAYS } from './audit-client.js';
import { readWatermark, type SyncTarget, updateFreshness, writeWatermark } from './sync-state.js';

export interface SyncProgress {
  target: SyncTarget;
  windows: number;
  windowsDone: number;
  pages: number;
  items: number;
  inserted: number;
  duplicate: number;
  rejected: number;
}

export interface SyncSummary extends SyncProgress {
  range: TimeRange | null;
  requests: number;
  retries: number;
  /** The target's watermark after the run (ISO), null when no window has completed yet. */
  completeUpTo: string | null;
  /** The first few reasons items were refused, for the log and the CLI summary. */
  rejections: string[];
  /** Refused items newly kept in the quarantine (an overlap re-fetching one adds nothing). */
  quarantined: number;
}

export interface SyncRunOptions {
  store: EventStore;
  client: AuditRecordsClient;
  target: SyncTarget;
  /** All targets of the same tenant, for its overall "complete up to". */
  tenantTargets: readonly SyncTarget[];
  now: number;
  retentionDays: number;
  overlapMs: number;
  /** Fetch from here instead of the watermark (CLI `--since`). */
  since?: number;
  batchSize?: number;
  signal?: AbortSignal;
  logger?: Logger;
  onProgress?: (progress: SyncProgress) => void;
}

const DEFAULT_BATCH = 10_000;
const KEPT_REJECTIONS = 20;

/**
 * The range one run fetches: from the watermark minus the overlap (late-registered events land
 * there), or the whole retention window on the first run; never older than retention.
 */
export function syncRange(
  watermark: number | null,
  options: Pick<SyncRunOptions, 'now' | 'retentionDays' | 'overlapMs' | 'since'>,
): TimeRange | null {
  const retentionStart = options.now - options.retentionDays * DAY_MS;
  const wanted = options.since ?? (watermark === null ? retentionStart : watermark - options.overlapMs);
  const start = Math.max(wanted, retentionStart);
  return start < options.now ? { start, end: options.now } : null;
}

/**
 * One pass for one target: every window in order, appended in batches; the watermark moves to a
 * window's end only once all of it is stored, so a stop at any point resumes with no gap.
 */
export async function syncTarget(options: SyncRunOptions): Promise<SyncSummary> {
  const { store, target, signal } = options;
  const stored = await readWatermark(store, target);
  const range = syncRange(stored, options);
  const summary: SyncSummary = {
    target,
    range,
    windows: range ? splitWindows(range, MAX_WINDOW_DAYS).length : 0,
    windowsDone: 0,
    pages: 0,
    items: 0,
    inserted: 0,
    duplicate: 0,
    rejected: 0,
    requests: 0,
    retries: 0,
    completeUpTo: stored === null ? null : new Date(stored).toISOString(),
    rejections: [],
    quarantined: 0,
  };
  if (!range) return summary;
  try {
    await syncWindows(options, summary, range, stored);
  } catch (error) {
    // The stream's trouble is shown by `status` on every instance until a pass succeeds.
    if (!signal?.aborted) {
      const message = error instanceof Error ? error.message : String(error);
      await recordSyncProblem(store, target, { at: new Date(options.now).toISOString(), message }).catch(() => {});
    }
    throw error;
  }
  await clearSyncProblem(store, target);
  return summary;
}

async function syncWindows(
  options: SyncRunOptions,
  summary: SyncSummary,
  range: TimeRange,
  stored: number | null,
): Promise<void> {
  const { store, client, target, signal } = options;
  const retentionStart = options.now - options.retentionDays * DAY_MS;
  const before = { ...client.stats };

  const source = `eightx8:${target.service}${target.region ? `:${target.region}` : ''}`;
  let watermark = stored;
  let batch: AuditEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    // The API returns a window in no order; time-ordered batches keep the store's time indexes local.
    batch.sort((a, b) => (a.auditTimestamp < b.auditTimestamp ? -1 : a.auditTimestamp > b.auditTimestamp ? 1 : 0));
    const result = await store.append(batch);
    summary.inserted += result.inserted;
    summary.duplicate += result.duplicate;
    batch = [];
  };

  for await (const page of client.scrollRange({ service: target.service }, range, signal)) {
    summary.pages += 1;
    summary.items += page.items.length;
    const refused: QuarantinedRecord[] = [];
    for (const item of page.items) {
      const normalized = normalizeApiItem(withService(item, target.service), {
        customerId: target.customerId,
        region: target.region,
      });
      if (normalized.ok) batch.push(normalized.event);
      else {
        reject(summary, normalized.error, options.logger);
        refused.push({
          customerId: target.customerId,
          source,
          reason: normalized.error,
          raw: rawText(item),
          receivedAt: options.now,
        });
      }
    }
    // Kept before the window can count as seen: a refused record is never lost, only set aside.
    if (refused.length > 0) summary.quarantined += await store.quarantine(refused);
    if (batch.length >= (options.batchSize ?? DEFAULT_BATCH)) await flush();
    if (page.windowDone) {
      await flush();
      summary.windowsDone += 1;
      // Contiguous only: a `--since` run that starts after the watermark leaves a gap it cannot vouch for.
      const contiguous = watermark === null ? page.window.start <= retentionStart : page.window.start <= watermark;
      if (contiguous && (watermark === null || page.window.end > watermark)) {
        watermark = page.window.end;
        await writeWatermark(store, target, watermark);
        await updateFreshness(store, target.customerId, options.tenantTargets);
      }
    }
    summary.requests = client.stats.requests - before.requests;
    summary.retries = client.stats.retries - before.retries;
    options.onProgress?.(summary);
  }
  summary.completeUpTo = watermark === null ? null : new Date(watermark).toISOString();
}

/** Items of one service's stream belong to it even when the item leaves `service` out. */
function withService(item: unknown, service: string): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const fields = item as Record<string, unknown>;
  return typeof fields.service === 'string' && fields.service !== '' ? item : { ...fields, service };
}

function reject(summary: SyncSummary, reason: string, logger: Logger | undefined): void {
  summary.rejected += 1;
  if (summary.rejections.length < KEPT_REJECTIONS) {
    summary.rejections.push(reason);
    logger?.warn('8x8 audit item refused', { reason });
  }
}
