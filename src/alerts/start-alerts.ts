import type { AppConfig } from '../config.js';
import { DEFAULT_ALERT_REDACT } from '../config.js';
import type { Logger } from '../logger.js';
import type { EventStore, KnownActor } from '../store/event-store.js';
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
}

export interface RunningAlerts {
  /** Runs a match and a delivery pass now (after any pass in progress); for tests and shutdown. */
  flush(): Promise<void>;
  stop(): Promise<void>;
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
  };
  const outbox = auditbot.store.alertOutbox;
  if (!outbox || !auditbot.store.eventsAfter) {
    logger.warn('alerts are off: this store has no alert outbox yet', { store: auditbot.store.kind });
    return { flush: async () => {}, stop: async () => {} };
  }
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
  });

  // Rules and the match cursor are placed before anything else can store an event: an event
  // ingested in the first poll interval must be matched, not taken for history.
  const seeded = (async () => {
    await Promise.all(config.tenants.map((tenant) => rules.ensureDefaults(tenant, auditbot.clock())));
    if ((await outbox.getCursor()) === null && auditbot.store.latestSeq) {
      await outbox.setCursor(await auditbot.store.latestSeq());
    }
  })();
  let chain: Promise<void> = seeded;
  let stopped = false;
  let queued = 0;
  const pass = async () => {
    await matchNewEvents(matcherDeps);
    // Deliver until no destination has an open slot with work, so a backlog drains between polls.
    while ((await deliverer.deliverDue()) > 0 && !stopped) {}
  };
  const enqueue = () => {
    queued += 1;
    chain = chain
      .then(pass)
      .catch((error: unknown) => logger.error('alert pass failed', { error }))
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
    flush: () => enqueue(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await chain;
    },
  };
}
