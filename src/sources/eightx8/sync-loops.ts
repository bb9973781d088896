import type { Dispatcher } from 'undici';
import { type AppConfig, DEFAULT_EIGHTX8_API_URL } from '../../config.js';
import { MINUTE_MS } from '../../domain/time-range.js';
import type { Logger } from '../../logger.js';
import type { EventStore } from '../../store/event-store.js';
import { type AuditRecordsClient, createAuditRecordsClient } from './audit-client.js';
import { createRateLimiter, type RateLimiter, realSleep, type Sleep } from './rate-limiter.js';
import { type SyncProgress, type SyncSummary, syncTarget } from './sync-runner.js';
import { describeTarget, type SyncTarget, syncTargets } from './sync-state.js';

/** What every sync needs besides the store: transport and time, injectable for tests. */
export interface SyncEnvironment {
  store: EventStore;
  config: AppConfig;
  logger: Logger;
  dispatcher?: Dispatcher;
  clock?: () => number;
  sleep?: Sleep;
  random?: () => number;
  timeoutMs?: number;
}

/** One client per target, one rate limiter per API key: 8x8 counts requests per key. */
export function createSyncClients(
  env: SyncEnvironment,
  targets: readonly SyncTarget[],
): Map<SyncTarget, AuditRecordsClient> {
  const limiters = new Map<string, RateLimiter>();
  const clients = new Map<SyncTarget, AuditRecordsClient>();
  for (const target of targets) {
    let limiter = limiters.get(target.apiKey);
    if (!limiter) {
      limiter = createRateLimiter({
        perMinute: env.config.eightx8Sync.rateLimitPerMinute,
        clock: env.clock,
        sleep: env.sleep,
      });
      limiters.set(target.apiKey, limiter);
    }
    const logger = env.logger.child({ sync: describeTarget(target) });
    clients.set(
      target,
      createAuditRecordsClient({
        baseUrl: target.baseUrl,
        apiKey: target.apiKey,
        dispatcher: env.dispatcher,
        limiter,
        sleep: env.sleep,
        random: env.random,
        clock: env.clock,
        timeoutMs: env.timeoutMs,
        onRetry: (notice) => logger.warn('8x8 API retry', { ...notice }),
      }),
    );
  }
  return clients;
}

export interface OnceOptions {
  since?: number;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  /** Events per store append (default 10,000). */
  batchSize?: number;
}

export type TargetOutcome = { target: SyncTarget; summary: SyncSummary } | { target: SyncTarget; error: Error };

/** Each target is synced by one runner at a time, whichever instance it is in (store.runExclusive). */
export function syncWorkName(target: SyncTarget): string {
  return `sync:${describeTarget(target)}`;
}

/** How long `sync --once` waits for another instance's pass over the same target to end. */
const ONCE_WAIT_MS = 10 * MINUTE_MS;

/** One pass over one target, after any pass another instance is making over it has ended. */
async function syncWhenFree(env: SyncEnvironment, target: SyncTarget, run: () => Promise<SyncSummary>) {
  const name = syncWorkName(target);
  const now = await env.store.runExclusive(name, run);
  if (now.ran) return now.value;
  env.logger.info('another auditbot instance is syncing this stream; waiting for it to finish', {
    sync: describeTarget(target),
  });
  const later = await env.store.runExclusive(name, run, { waitMs: ONCE_WAIT_MS, retryMs: 1000 });
  if (later.ran) return later.value;
  throw new Error(
    `another auditbot instance has been syncing ${describeTarget(target)} for over ${ONCE_WAIT_MS / MINUTE_MS} minutes; try again when its pass ends`,
  );
}

/**
 * One pass over every configured target (the CLI's `sync --once`). A failing target does not stop
 * the others; each outcome says what happened.
 */
export async function syncAllOnce(env: SyncEnvironment, options: OnceOptions = {}): Promise<TargetOutcome[]> {
  const targets = syncTargets(env.config, DEFAULT_EIGHTX8_API_URL);
  const clients = createSyncClients(env, targets);
  const outcomes: TargetOutcome[] = [];
  for (const target of targets) {
    const client = clients.get(target);
    if (!client) continue;
    try {
      const summary = await syncWhenFree(env, target, () =>
        syncTarget(runOptions(env, target, targets, client, options)),
      );
      outcomes.push({ target, summary });
    } catch (error) {
      options.signal?.throwIfAborted();
      outcomes.push({ target, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return outcomes;
}

function runOptions(
  env: SyncEnvironment,
  target: SyncTarget,
  targets: readonly SyncTarget[],
  client: AuditRecordsClient,
  options: OnceOptions,
) {
  return {
    store: env.store,
    client,
    target,
    tenantTargets: targets.filter((t) => t.customerId === target.customerId),
    now: (env.clock ?? Date.now)(),
    retentionDays: env.config.retentionDays,
    overlapMs: env.config.eightx8Sync.overlapMinutes * MINUTE_MS,
    logger: env.logger.child({ sync: describeTarget(target) }),
    ...options,
  };
}

/** Longest pause after repeated failures, so a revoked key is retried but does not flood the log. */
const MAX_FAILURE_PAUSE_MS = 15 * MINUTE_MS;

/**
 * The sync loop `auditbot serve` runs: one per tenant × service × region, each polling every
 * EIGHTX8_POLL_SECONDS. Errors are logged and retried later with growing pauses; nothing thrown
 * here reaches the server. `stop()` aborts in-flight requests and waits for the loops to end.
 */
export function startSyncLoops(options: {
  auditbot: { store: EventStore };
  config: AppConfig;
  logger: Logger;
  dispatcher?: Dispatcher;
  sleep?: Sleep;
  clock?: () => number;
}): { stop(): Promise<void> } {
  const env: SyncEnvironment = { ...options, store: options.auditbot.store };
  const targets = syncTargets(options.config, DEFAULT_EIGHTX8_API_URL);
  const clients = createSyncClients(env, targets);
  const controller = new AbortController();
  const sleep = options.sleep ?? realSleep;
  const pollMs = options.config.eightx8Sync.pollSeconds * 1000;

  const loop = async (target: SyncTarget, client: AuditRecordsClient) => {
    const logger = options.logger.child({ sync: describeTarget(target) });
    let failures = 0;
    while (!controller.signal.aborted) {
      let pause = pollMs;
      try {
        const pass = await env.store.runExclusive(syncWorkName(target), () =>
          syncTarget(runOptions(env, target, targets, client, { signal: controller.signal })),
        );
        failures = 0;
        if (pass.ran) logger.info('8x8 sync pass', passFields(pass.value));
        else logger.debug('another auditbot instance is syncing this stream; skipped this pass');
      } catch (error) {
        if (controller.signal.aborted) break;
        failures += 1;
        pause = Math.min(MAX_FAILURE_PAUSE_MS, pollMs * 2 ** (failures - 1));
        logger.error('8x8 sync failed; retrying later', { error, retryInSeconds: Math.round(pause / 1000) });
      }
      await sleep(pause, controller.signal).catch(() => {});
    }
  };

  const running = [...clients].map(([target, client]) => loop(target, client));
  if (targets.length > 0) options.logger.info('8x8 sync started', { streams: targets.map(describeTarget) });
  return {
    async stop() {
      controller.abort(new Error('sync stopped'));
      await Promise.allSettled(running);
    },
  };
}

function passFields(summary: SyncSummary): Record<string, unknown> {
  const { pages, inserted, duplicate, rejected, windows, retries, completeUpTo } = summary;
  return { pages, inserted, duplicate, rejected, windows, retries, completeUpTo };
}
