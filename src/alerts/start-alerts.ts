import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppConfig } from '../config.js';
import { DEFAULT_ALERT_LEASE_SECONDS, DEFAULT_ALERT_REDACT } from '../config.js';
import type { Logger } from '../logger.js';
import type { EventStore, KnownActor } from '../store/event-store.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import type { NameSource } from './content.js';
import { createDeliverer } from './deliverer.js';
import { matchNewEvents } from './matcher.js';
import type { AlertNotifier } from './notifier.js';
import { AlertRules } from './rules.js';

/** What startAlerts needs of a running auditbot (src/app.ts's Auditbot satisfies it). */
export interface AlertsHost {
  store: EventStore;
  config: AppConfig;
  clock: () => number;
  actors: {
    list(customerId: string): Promise<KnownActor[]>;
    names: NameSource;
  };
}

export interface AlertsOptions {
  auditbot: AlertsHost;
  /** One per configured chat platform (Slack, Teams). */
  notifiers: readonly AlertNotifier[];
  logger: Logger;
  config?: AppConfig;
  /** How often new events are looked for; 200 ms keeps "stored → posted" well under a second. */
  pollMs?: number;
  /** Wall clock for pacing and retries; tests never need to change it. */
  wallClock?: () => number;
  paceMs?: { slack: number; teams: number };
  backoffBaseMs?: number;
  maxAttempts?: number;
  /** This process in outbox claims (default: host, pid and a random tag). */
  owner?: string;
}

export interface RunningAlerts {
  /** Settles once rules and the match cursor are in place (rejects when they cannot be). */
  ready: Promise<void>;
  /** Runs a match and a delivery pass now (after any pass in progress); for tests and shutdown. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

const MATCHER = 'alerts:matcher';

/**
 * Who claims outbox entries. On PostgreSQL each process is its own owner, so a dead one's claims wait
 * out their lease before another instance sends them. A SQLite file has one delivering process: a
 * restart after a crash is the same owner, and picks its claims up at once.
 */
export function processOwner(kind: EventStore['kind']): string {
  if (kind === 'sqlite') return `${hostname()}:sqlite`;
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Slack allows about one message a second per channel; Teams seven per second per conversation. */
export const DEFAULT_PACE_MS = { slack: 1100, teams: 150 } as const;

/**
 * Matches every newly stored event (whatever wrote it, in this process or another) against each
 * tenant's rules, and delivers the outbox with pacing, digests and retries. Seeds the default rules
 * of tenants that have never had any.
 */
export function startAlerts(options: AlertsOptions): RunningAlerts {
  const { auditbot, logger } = options;
  const config = options.config ?? auditbot.config;
  const settings = config.alerts ?? {
    redact: DEFAULT_ALERT_REDACT,
    digestThreshold: 5,
    digestWindowSeconds: 60,
    freshnessHours: 24,
    leaseSeconds: DEFAULT_ALERT_LEASE_SECONDS,
  };
  const outbox = auditbot.store.alertOutbox;
  const wallClock = options.wallClock ?? Date.now;
  const rules = new AlertRules(auditbot.store);
  const matcherDeps = {
    store: auditbot.store,
    outbox,
    rules,
    config,
    logger,
    clock: auditbot.clock,
    wallClock,
    actors: (customerId: string) => auditbot.actors.list(customerId),
    freshnessMs: settings.freshnessHours * 3_600_000,
  };
  const deliverer = createDeliverer({
    store: auditbot.store,
    outbox,
    rules,
    notifiers: options.notifiers,
    logger,
    clock: auditbot.clock,
    wallClock,
    names: (customerId, ids) => auditbot.actors.names(customerId, ids),
    redact: settings.redact,
    reportDirectory: config.reportDirectory,
    digestThreshold: settings.digestThreshold,
    digestWindowMs: settings.digestWindowSeconds * 1000,
    paceMs: options.paceMs ?? DEFAULT_PACE_MS,
    maxAttempts: options.maxAttempts ?? 8,
    backoffBaseMs: options.backoffBaseMs ?? 1000,
    owner: options.owner ?? processOwner(auditbot.store.kind),
    leaseMs: settings.leaseSeconds * 1000,
  });

  // Rules and the match cursor are placed before anything else can store an event: an event
  // ingested in the first poll interval must be matched, not taken for history.
  const seeded = (async () => {
    await Promise.all(config.tenants.map((tenant) => rules.ensureDefaults(tenant, auditbot.clock())));
    // Placed once, ever: later starts find it and never wait for the matcher's lock (another
    // instance may hold it for a long catch-up pass).
    if ((await outbox.getCursor()) !== null) return;
    // Under the matcher's lock: an instance starting beside a running one must not move the cursor.
    // Whoever holds the lock places a missing cursor itself, so not getting it is no failure.
    const placed = await auditbot.store.runExclusive(
      MATCHER,
      async () => {
        if ((await outbox.getCursor()) === null) await outbox.setCursor(await auditbot.store.latestSeq());
      },
      { waitMs: 60_000 },
    );
    if (!placed.ran) logger.warn('alert match cursor left to the instance holding the matcher');
  })();
  let chain: Promise<void> = seeded;
  let stopped = false;
  let queued = 0;
  const pass = async () => {
    // One matcher at a time across instances; the others only deliver. (A second matcher would be
    // harmless — the outbox is unique per rule × event × destination — but would do the work twice.)
    await auditbot.store.runExclusive(MATCHER, () => matchNewEvents(matcherDeps));
    // Deliver until no destination has an open slot with work, so a backlog drains between polls.
    while ((await deliverer.deliverDue()) > 0 && !stopped) {}
  };
  // A store outage fails every 200 ms pass: said once when it starts and once when it ends.
  let storeDown = false;
  const passLogged = async () => {
    await pass();
    if (storeDown) logger.info('alert passes resumed: the store answers again');
    storeDown = false;
  };
  const failed = (error: unknown) => {
    if (!isStoreUnavailable(error)) return logger.error('alert pass failed', { error });
    if (!storeDown) logger.warn('alert passes paused: the store is unavailable; retrying', { error });
    storeDown = true;
  };
  const enqueue = () => {
    queued += 1;
    chain = chain
      .then(passLogged)
      .catch(failed)
      .finally(() => {
        queued -= 1;
      });
    return chain;
  };
  // A tick while a pass is still queued adds nothing: passes never pile up behind a slow post.
  const timer = setInterval(() => {
    if (!stopped && queued === 0) void enqueue();
  }, options.pollMs ?? 200);
  timer.unref();
  logger.info('alerts started', {
    tenants: config.tenants.length,
    platforms: options.notifiers.map((n) => n.platform),
  });
  return {
    ready: seeded,
    flush: () => enqueue(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await chain;
    },
  };
}
