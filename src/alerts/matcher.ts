import type { AppConfig, TenantConfig } from '../config.js';
import { eventTime } from '../domain/audit-event.js';
import type { EventFilter } from '../domain/event-filter.js';
import { parseQuery } from '../domain/query-language.js';
import { resolveQuery } from '../domain/resolve-query.js';
import type { Logger } from '../logger.js';
import type { AlertOutbox, OutboxEntry, SequencedEvent } from '../store/alert-outbox.js';
import type { EventStore, KnownActor } from '../store/event-store.js';
import { eventMatches } from './event-match.js';
import { type AlertRule, type AlertRules, destinationKey, isMuted } from './rules.js';

export interface MatcherDeps {
  store: EventStore;
  outbox: AlertOutbox;
  rules: AlertRules;
  config: AppConfig;
  logger: Logger;
  /** auditbot's clock (epoch ms): mutes and freshness. */
  clock: () => number;
  /** Wall clock for the outbox's own timestamps. */
  wallClock: () => number;
  actors: (customerId: string) => Promise<KnownActor[]>;
  freshnessMs: number;
  batchSize?: number;
}

interface CompiledRule {
  rule: AlertRule;
  filter: EventFilter;
}

/** A rule's query as a filter; auditbot's own access log is left out unless the rule asks for it. */
export function compileRule(
  rule: AlertRule,
  actors: KnownActor[],
  now: number,
  retentionDays: number,
): EventFilter | null {
  const parsed = parseQuery(rule.query);
  if (!parsed.ok) return null;
  const resolved = resolveQuery(parsed.query, { customerId: rule.customerId, now, retentionDays, actors });
  if (!resolved.ok) return null;
  const filter = resolved.filter;
  if (!filter.services || filter.services.include.length === 0) {
    const exclude = filter.services?.exclude ?? [];
    filter.services = { include: [], exclude: [...new Set([...exclude, 'auditbot'])] };
  }
  return filter;
}

async function tenantRules(deps: MatcherDeps, tenant: TenantConfig, now: number): Promise<CompiledRule[]> {
  const rules = (await deps.rules.list(tenant.customerId)).filter((rule) => !isMuted(rule, now));
  if (rules.length === 0) return [];
  const actors = await deps.actors(tenant.customerId);
  const compiled: CompiledRule[] = [];
  for (const rule of rules) {
    const filter = compileRule(rule, actors, now, deps.config.retentionDays);
    if (filter) compiled.push({ rule, filter });
    else deps.logger.warn('alert rule no longer parses; skipped', { ruleId: rule.id, customerId: rule.customerId });
  }
  return compiled;
}

/**
 * Matches one batch of newly stored events against the live rules of their tenants. An event alerts
 * only when stored after the rule was made and no older than the freshness window.
 */
async function matchBatch(deps: MatcherDeps, batch: SequencedEvent[], now: number): Promise<OutboxEntry[]> {
  const byTenant = new Map<string, CompiledRule[]>();
  const entries: OutboxEntry[] = [];
  const oldest = now - deps.freshnessMs;
  for (const { seq, event } of batch) {
    if (eventTime(event) < oldest) continue;
    let rules = byTenant.get(event.customerId);
    if (!rules) {
      const tenant = deps.config.tenants.find((t) => t.customerId === event.customerId);
      rules = tenant ? await tenantRules(deps, tenant, now) : [];
      byTenant.set(event.customerId, rules);
    }
    for (const { rule, filter } of rules) {
      if (seq <= rule.afterSeq || !eventMatches(filter, event)) continue;
      entries.push({
        customerId: event.customerId,
        ruleId: rule.id,
        eventId: event.id,
        destination: destinationKey(rule.destination),
        mode: rule.mode,
      });
    }
  }
  return entries;
}

/**
 * Reads every event stored since the persisted cursor, in storage order, and enqueues its alerts;
 * the cursor moves after the enqueue, so a crash in between re-matches a batch and the outbox's
 * uniqueness absorbs the repeat. The first run starts at the newest event: nothing already stored alerts.
 */
export async function matchNewEvents(deps: MatcherDeps): Promise<{ scanned: number; enqueued: number }> {
  const { store, outbox } = deps;
  let cursor = await outbox.getCursor();
  if (cursor === null) {
    await outbox.setCursor(await store.latestSeq());
    return { scanned: 0, enqueued: 0 };
  }
  let scanned = 0;
  let enqueued = 0;
  const now = deps.clock();
  for (;;) {
    const batch = await store.eventsAfter(cursor, deps.batchSize ?? 2000);
    const last = batch.at(-1);
    if (!last) break;
    enqueued += await outbox.enqueue(await matchBatch(deps, batch, now), deps.wallClock());
    cursor = last.seq;
    await outbox.setCursor(cursor);
    scanned += batch.length;
  }
  return { scanned, enqueued };
}
