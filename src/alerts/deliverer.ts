import type { AuditEvent } from '../domain/audit-event.js';
import type { Logger } from '../logger.js';
import type { AlertOutbox, OutboxItem } from '../store/alert-outbox.js';
import type { EventStore } from '../store/event-store.js';
import { alertDigest, alertMessage, type NameSource } from './content.js';
import { AlertDeliveryError, type AlertNotifier } from './notifier.js';
import { type AlertDestination, type AlertRules, isMuted, parseDestinationKey } from './rules.js';

/** Most alerts one digest carries; a bigger backlog goes out as several digests, none cut. */
const MAX_DIGEST = 20_000;
const MAX_BACKOFF_MS = 5 * 60_000;

export interface DelivererDeps {
  store: EventStore;
  outbox: AlertOutbox;
  rules: AlertRules;
  notifiers: readonly AlertNotifier[];
  logger: Logger;
  clock: () => number;
  wallClock: () => number;
  names: NameSource;
  redact: readonly string[];
  reportDirectory: string;
  digestThreshold: number;
  digestWindowMs: number;
  /** Minimum gap between two posts to one destination, per platform. */
  paceMs: Record<AlertDestination['platform'], number>;
  maxAttempts: number;
  backoffBaseMs: number;
  /** This process, as the outbox's claim owner. */
  owner: string;
  /** How long a claim lasts; a claim of a process that died frees after this. */
  leaseMs: number;
}

/** `3@test…` is a test post of rule 3 (`alerts test 3`): the rule id is what comes before the `@`. */
export function baseRuleId(ruleId: string): string {
  return ruleId.split('@')[0] ?? ruleId;
}

const isTest = (item: OutboxItem) => item.ruleId.includes('@test');

type Send = { kind: 'each'; items: [OutboxItem] } | { kind: 'digest'; items: OutboxItem[] };

export interface Deliverer {
  /** One pass: each destination whose pacing slot is open gets at most one message. */
  deliverDue(): Promise<number>;
}

export function createDeliverer(deps: DelivererDeps): Deliverer {
  const nextSlot = new Map<string, number>();
  const unreachable = new Set<string>();

  /** Items of muted or removed rules are dropped; tests go out whatever the mute. */
  async function liveItems(items: OutboxItem[]): Promise<{ live: OutboxItem[]; rules: Map<string, string> }> {
    const queries = new Map<string, string>();
    const live: OutboxItem[] = [];
    const dropped: number[] = [];
    // A digest may carry thousands of alerts of a handful of rules: each rule is read once.
    const rulesSeen = new Map<string, Awaited<ReturnType<AlertRules['get']>>>();
    for (const item of items) {
      const ruleKey = `${item.customerId}\u0000${baseRuleId(item.ruleId)}`;
      if (!rulesSeen.has(ruleKey))
        rulesSeen.set(ruleKey, await deps.rules.get(item.customerId, baseRuleId(item.ruleId)));
      const rule = rulesSeen.get(ruleKey);
      if (rule && (isTest(item) || !isMuted(rule, deps.clock()))) {
        live.push(item);
        queries.set(item.ruleId, rule.query);
      } else dropped.push(item.id);
    }
    if (dropped.length) await deps.outbox.markDone(dropped, 'suppressed', 'rule muted or removed');
    return { live, rules: queries };
  }

  async function choose(destination: string, items: OutboxItem[], now: number): Promise<Send | null> {
    const test = items.find(isTest);
    if (test) return { kind: 'each', items: [test] };
    const digestItems = items.filter((i) => i.mode === 'digest');
    const oldestDigest = digestItems[0];
    if (oldestDigest && oldestDigest.enqueuedAt <= now - deps.digestWindowMs)
      return { kind: 'digest', items: digestItems };
    const eachItems = items.filter((i) => i.mode === 'each');
    const first = eachItems[0];
    if (!first) return null;
    const recent = await deps.outbox.countSince(destination, now - deps.digestWindowMs);
    if (eachItems.length > deps.digestThreshold || recent > deps.digestThreshold) {
      return { kind: 'digest', items: eachItems };
    }
    return { kind: 'each', items: [first] };
  }

  async function events(items: OutboxItem[]): Promise<{ found: AuditEvent[]; items: OutboxItem[] }> {
    const found: AuditEvent[] = [];
    const kept: OutboxItem[] = [];
    const gone: number[] = [];
    for (const item of items) {
      const event = await deps.store.get(item.customerId, item.eventId);
      if (event) {
        found.push(event);
        kept.push(item);
      } else gone.push(item.id);
    }
    // Pruned between match and delivery: nothing left to show.
    if (gone.length) await deps.outbox.markDone(gone, 'suppressed', 'event no longer stored');
    return { found, items: kept };
  }

  async function send(
    notifier: AlertNotifier,
    destination: AlertDestination,
    send: Send,
    queries: Map<string, string>,
  ) {
    const { found, items } = await events(send.items);
    const first = items[0];
    const event = found[0];
    if (!first || !event) return null;
    const rule = (item: OutboxItem) => ({ id: baseRuleId(item.ruleId), query: queries.get(item.ruleId) ?? '' });
    if (send.kind === 'each') {
      const message = await alertMessage(deps, event, rule(first));
      return { items, result: await notifier.post(destination, message) };
    }
    // One destination may in principle serve two tenants: a digest stays within one.
    const sameTenant = items.filter((i) => i.customerId === first.customerId);
    const tenantEvents = found.filter((e) => e.customerId === first.customerId);
    const rules = [...new Map(sameTenant.map((i) => [baseRuleId(i.ruleId), rule(i)])).values()];
    const digest = await alertDigest(deps, first.customerId, tenantEvents, rules, deps.wallClock());
    return { items: sameTenant, result: await notifier.postDigest(destination, digest) };
  }

  async function failed(key: string, items: OutboxItem[], error: unknown, now: number): Promise<void> {
    const retryable = error instanceof AlertDeliveryError ? error.retryable : true;
    const attempts = Math.max(...items.map((i) => i.attempts)) + 1;
    const message = error instanceof Error ? error.message : String(error);
    const ids = items.map((i) => i.id);
    if (!retryable || attempts >= deps.maxAttempts) {
      deps.logger.error('alert delivery failed for good', { destination: key, alerts: ids.length, error: message });
      await deps.outbox.markDone(ids, 'failed', message);
      return;
    }
    const backoff = Math.min(MAX_BACKOFF_MS, deps.backoffBaseMs * 2 ** (attempts - 1));
    const delay = error instanceof AlertDeliveryError && error.retryAfterMs !== null ? error.retryAfterMs : backoff;
    deps.logger.warn('alert delivery will be retried', { destination: key, delayMs: delay, attempts, error: message });
    nextSlot.set(key, now + delay);
    await deps.outbox.markRetry(ids, now + delay, message);
  }

  /** Renews this process's claim on the destination; false when any of `items` is no longer ours. */
  async function stillClaimed(key: string, items: readonly OutboxItem[]): Promise<boolean> {
    const renewed = await deps.outbox.claim(key, {
      owner: deps.owner,
      now: deps.wallClock(),
      leaseMs: deps.leaseMs,
      limit: MAX_DIGEST,
    });
    const ours = new Set(renewed.map((item) => item.id));
    return items.every((item) => ours.has(item.id));
  }

  async function deliverTo(key: string, now: number): Promise<boolean> {
    const destination = parseDestinationKey(key);
    const notifier = destination && deps.notifiers.find((n) => n.platform === destination.platform);
    if (!destination || !notifier) {
      // Kept pending, unclaimed (an instance that has the platform may deliver them); configuring the
      // platform and restarting delivers them here. Said once per process.
      if (!unreachable.has(key))
        deps.logger.warn('alerts wait for a platform that is not configured', {
          destination: key,
          alerts: (await deps.outbox.pending(key, MAX_DIGEST)).length,
        });
      unreachable.add(key);
      nextSlot.set(key, now + 60_000);
      return false;
    }
    const pending = await deps.outbox.claim(key, { owner: deps.owner, now, leaseMs: deps.leaseMs, limit: MAX_DIGEST });
    if (pending.length === 0) return false;
    const { live, rules } = await liveItems(pending);
    const chosen = await choose(key, live, now);
    if (!chosen) return false;
    // Preparing a big digest takes time: the claim is renewed, and still ours, right before the post.
    if (!(await stillClaimed(key, chosen.items))) return false;
    try {
      const sent = await send(notifier, destination, chosen, rules);
      if (!sent) return false;
      const slot = deps.wallClock() + deps.paceMs[destination.platform];
      nextSlot.set(key, slot);
      // Shared, and closed before the claims end, so no instance posts here inside the gap.
      await deps.outbox.pace(key, slot);
      await deps.outbox.markSent(
        sent.items.map((i) => i.id),
        sent.result.messageId,
        deps.wallClock(),
      );
      return true;
    } catch (error) {
      await failed(key, chosen.items, error, deps.wallClock());
      return false;
    }
  }

  return {
    async deliverDue() {
      const now = deps.wallClock();
      const due = (await deps.outbox.dueDestinations(now)).filter((key) => (nextSlot.get(key) ?? 0) <= now);
      const sent = await Promise.all(due.map((key) => deliverTo(key, now)));
      return sent.filter(Boolean).length;
    },
  };
}
