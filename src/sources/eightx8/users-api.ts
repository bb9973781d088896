import type { Dispatcher } from 'undici';
import type { TenantConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import { createJsonGetter, type JsonGetter } from './http-json.js';
import { createRateLimiter, type Sleep } from './rate-limiter.js';

/** The user-management API's production host; its paths start with /admin-provisioning. */
export const DEFAULT_USERS_API_URL = 'https://api.8x8.com';
const ACCEPT = 'application/vnd.users.v1+json, application/json';

/** Looks up a display name for a user id; null when unknown or when the tenant has no users key. */
export type ResolveName = (customerId: string, id: string) => Promise<string | null>;

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * A person's name from a user record, read defensively: `basicInfo.{firstName,lastName}` (the
 * user-management API's shape) or the same fields at the top, then userName / email as fallbacks.
 */
export function nameFromUserRecord(json: unknown): string | null {
  if (json === null || typeof json !== 'object') return null;
  const top = json as Record<string, unknown>;
  const info =
    top.basicInfo !== null && typeof top.basicInfo === 'object' ? (top.basicInfo as Record<string, unknown>) : top;
  const full = [text(info.firstName), text(info.lastName)].filter((part) => part !== null).join(' ');
  return (
    text(full) ?? text(info.displayName) ?? text(info.userName) ?? text(info.primaryEmail) ?? text(top.displayName)
  );
}

interface Cached {
  at: number;
  name: string | null;
}

export interface UserNameResolverOptions {
  tenants: readonly TenantConfig[];
  dispatcher?: Dispatcher;
  logger?: Logger;
  clock?: () => number;
  sleep?: Sleep;
  /** Names found are kept this long; misses (404, errors) a tenth of it, so a new user shows up soon. */
  ttlMs?: number;
  rateLimitPerMinute?: number;
}

/**
 * `GET {usersBase}/admin-provisioning/users/{id}` per tenant with a users key, cached per tenant and
 * id, concurrent lookups of one id shared. Names are a nicety: failures answer null and are logged.
 * Returns undefined when no tenant has a users key (nothing to wire).
 */
export function createUserNameResolver(options: UserNameResolverOptions): ResolveName | undefined {
  const clock = options.clock ?? Date.now;
  const ttl = options.ttlMs ?? 6 * 60 * 60_000;
  const getters = new Map<string, { http: JsonGetter; baseUrl: string }>();
  for (const tenant of options.tenants) {
    if (!tenant.eightx8Users) continue;
    const limiter = createRateLimiter({ perMinute: options.rateLimitPerMinute ?? 100, clock, sleep: options.sleep });
    getters.set(tenant.customerId, {
      baseUrl: (tenant.eightx8Users.baseUrl ?? DEFAULT_USERS_API_URL).replace(/\/+$/, ''),
      http: createJsonGetter({
        apiKey: tenant.eightx8Users.apiKey,
        dispatcher: options.dispatcher,
        limiter,
        clock,
        sleep: options.sleep,
        // One quick retry: a chat reply waits on this, and the id stays readable without a name.
        retry: { maxAttempts: 2, baseDelayMs: 200, maxServerDelayMs: 2000 },
        timeoutMs: 5000,
      }),
    });
  }
  if (getters.size === 0) return undefined;
  const cache = new Map<string, Cached>();
  const inFlight = new Map<string, Promise<string | null>>();

  const lookup = async (customerId: string, id: string): Promise<string | null> => {
    const getter = getters.get(customerId);
    if (!getter) return null;
    const url = new URL(`${getter.baseUrl}/admin-provisioning/users/${encodeURIComponent(id)}`);
    try {
      const response = await getter.http.get(url, `user ${id}`, { accept: ACCEPT, passStatuses: [404] });
      return response.status === 404 ? null : nameFromUserRecord(response.json);
    } catch (error) {
      options.logger?.warn('8x8 user lookup failed; showing the id', { customerId, userId: id, error });
      return null;
    }
  };

  return async (customerId, id) => {
    const key = `${customerId}\u0000${id}`;
    const cached = cache.get(key);
    if (cached && clock() - cached.at < (cached.name === null ? ttl / 10 : ttl)) return cached.name;
    const pending = inFlight.get(key);
    if (pending) return pending;
    const started = lookup(customerId, id).then((name) => {
      cache.set(key, { at: clock(), name });
      inFlight.delete(key);
      return name;
    });
    inFlight.set(key, started);
    return started;
  };
}
