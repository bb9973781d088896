import type { TenantConfig } from '../config.js';
import type { EventStore } from '../store/event-store.js';

/** Where an alert goes: a Slack channel id, or a Teams conversation auditbot holds a reference for. */
export type AlertDestination = { platform: 'slack'; channel: string } | { platform: 'teams'; conversationKey: string };

export type AlertMode = 'each' | 'digest';

/** A saved query (the query language) whose new matches are pushed to a destination. */
export interface AlertRule {
  id: string;
  customerId: string;
  /** Canonical query text. */
  query: string;
  destination: AlertDestination;
  mode: AlertMode;
  /** Epoch ms (auditbot's clock). */
  createdAt: number;
  /** `slack:U1`, `console:alice`, or `auditbot` for the defaults. */
  createdBy: string;
  /** Only events stored after this seq alert: a rule never reaches back to what was there before it. */
  afterSeq: number;
  mutedUntil: number | null;
}

interface RuleBook {
  nextId: number;
  rules: AlertRule[];
}

/** The destinations's string form, as the outbox stores it: `slack:C123`, `teams:19:abc@thread.tacv2`. */
export function destinationKey(destination: AlertDestination): string {
  return destination.platform === 'slack' ? `slack:${destination.channel}` : `teams:${destination.conversationKey}`;
}

export function parseDestinationKey(key: string): AlertDestination | null {
  const at = key.indexOf(':');
  const platform = key.slice(0, at);
  const rest = key.slice(at + 1);
  if (at < 0 || rest === '') return null;
  if (platform === 'slack') return { platform, channel: rest };
  if (platform === 'teams') return { platform, conversationKey: rest };
  return null;
}

/** The security channels a fresh tenant's default rules go to (config file, else environment). */
export function configuredDestinations(tenant: TenantConfig): AlertDestination[] {
  const found: AlertDestination[] = [];
  if (tenant.alerts.slackChannel) found.push({ platform: 'slack', channel: tenant.alerts.slackChannel });
  if (tenant.alerts.teamsConversation)
    found.push({ platform: 'teams', conversationKey: tenant.alerts.teamsConversation });
  return found;
}

export const DEFAULT_QUERIES = ['op:delete', 'op:bulk'] as const;

const bookKey = (customerId: string) => `alerts:rules:${customerId}`;
const EDIT_WAIT_MS = 10_000;

/** A tenant's rules, kept in the store's key/value state so every instance and restart sees them. */
export class AlertRules {
  constructor(private readonly store: EventStore) {}

  async list(customerId: string): Promise<AlertRule[]> {
    return (await this.book(customerId))?.rules ?? [];
  }

  /** Every tenant's rules that are live (not muted) at `now`. */
  async get(customerId: string, id: string): Promise<AlertRule | null> {
    return (await this.list(customerId)).find((r) => r.id === id) ?? null;
  }

  /**
   * The defaults (`op:delete`, `op:bulk` → each configured security channel) the first time a tenant
   * is seen; later removals stick because the book then exists.
   */
  async ensureDefaults(tenant: TenantConfig, now: number): Promise<AlertRule[]> {
    const existing = await this.book(tenant.customerId);
    if (existing) return existing.rules;
    return this.edit(tenant.customerId, async (found) => {
      if (found) return { result: found.rules };
      const afterSeq = await this.store.latestSeq();
      const book: RuleBook = { nextId: 1, rules: [] };
      for (const destination of configuredDestinations(tenant)) {
        for (const query of DEFAULT_QUERIES)
          book.rules.push(this.newRule(book, tenant.customerId, query, destination, now, 'auditbot', afterSeq));
      }
      return { book, result: book.rules };
    });
  }

  add(
    customerId: string,
    input: { query: string; destination: AlertDestination; mode: AlertMode; createdBy: string },
    now: number,
  ): Promise<AlertRule> {
    return this.edit(customerId, async (found) => {
      const book = found ?? { nextId: 1, rules: [] };
      const afterSeq = await this.store.latestSeq();
      const { query, destination, mode, createdBy } = input;
      const rule = this.newRule(book, customerId, query, destination, now, createdBy, afterSeq, mode);
      book.rules.push(rule);
      return { book, result: rule };
    });
  }

  remove(customerId: string, id: string): Promise<AlertRule | null> {
    return this.edit(customerId, async (book) => {
      const rule = book?.rules.find((r) => r.id === id);
      if (!book || !rule) return { result: null };
      book.rules = book.rules.filter((r) => r.id !== id);
      return { book, result: rule };
    });
  }

  setMute(customerId: string, id: string, mutedUntil: number | null): Promise<AlertRule | null> {
    return this.edit(customerId, async (book) => {
      const rule = book?.rules.find((r) => r.id === id);
      if (!book || !rule) return { result: null };
      rule.mutedUntil = mutedUntil;
      return { book, result: rule };
    });
  }

  /**
   * Reads, changes and writes a tenant's book as one step across every instance (the store's
   * exclusive lock), so two admins editing at once on two instances never lose each other's change,
   * and two instances starting together agree on one set of defaults.
   */
  private async edit<T>(
    customerId: string,
    change: (book: RuleBook | null) => Promise<{ book?: RuleBook; result: T }>,
  ): Promise<T> {
    const outcome = await this.store.runExclusive(
      `${bookKey(customerId)}:edit`,
      async () => {
        const { book, result } = await change(await this.book(customerId));
        if (book) await this.store.setState(bookKey(customerId), book);
        return result;
      },
      { waitMs: EDIT_WAIT_MS, retryMs: 20 },
    );
    if (!outcome.ran)
      throw new Error(
        `the alert rules of ${customerId} are being changed elsewhere for over ${EDIT_WAIT_MS / 1000} s; try again`,
      );
    return outcome.value;
  }

  private newRule(
    book: RuleBook,
    customerId: string,
    query: string,
    destination: AlertDestination,
    now: number,
    createdBy: string,
    afterSeq: number,
    mode: AlertMode = 'each',
  ): AlertRule {
    const id = String(book.nextId);
    book.nextId += 1;
    return { id, customerId, query, destination, mode, createdAt: now, createdBy, afterSeq, mutedUntil: null };
  }

  private book(customerId: string): Promise<RuleBook | null> {
    return this.store.getState<RuleBook>(bookKey(customerId));
  }
}

export function isMuted(rule: AlertRule, now: number): boolean {
  return rule.mutedUntil !== null && now < rule.mutedUntil;
}
