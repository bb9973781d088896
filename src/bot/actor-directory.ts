import type { EventStore, KnownActor } from '../store/event-store.js';

/**
 * Actor ids → names per tenant, from the user entities in the store. Cached briefly: resolving
 * `who:alice` and labelling a page must not rescan the store on every command.
 */
export interface ActorDirectory {
  list(customerId: string): Promise<KnownActor[]>;
  /**
   * Known names. With `ids` and a `resolveName` fallback, ids the store cannot name are looked up
   * too (the fallback caches), so a page of events shows names for actors never seen as user events.
   */
  names(customerId: string, ids?: Iterable<string | null>): Promise<ReadonlyMap<string, string | null>>;
  invalidate(customerId?: string): void;
}

interface Entry {
  at: number;
  actors: KnownActor[];
  names: Map<string, string | null>;
}

export function createActorDirectory(
  store: EventStore,
  options: {
    ttlMs?: number;
    clock?: () => number;
    /** Optional name source for ids the store has no user event for (8x8 user-management API). */
    resolveName?: (customerId: string, id: string) => Promise<string | null>;
  } = {},
): ActorDirectory {
  const ttl = options.ttlMs ?? 60_000;
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, Promise<Entry>>();

  const load = async (customerId: string): Promise<Entry> => {
    const actors = await store.actors(customerId);
    return { at: clock(), actors, names: new Map(actors.map((a) => [a.id, a.name])) };
  };
  const entry = async (customerId: string): Promise<Entry> => {
    const cached = cache.get(customerId);
    if (cached) {
      const value = await cached;
      if (clock() - value.at < ttl) return value;
    }
    const fresh = load(customerId);
    cache.set(customerId, fresh);
    fresh.catch(() => cache.delete(customerId));
    return fresh;
  };

  return {
    list: async (customerId) => (await entry(customerId)).actors,
    names: async (customerId, ids) => {
      const known = (await entry(customerId)).names;
      const resolveName = options.resolveName;
      if (!resolveName || ids === undefined) return known;
      const unknown = [...new Set(ids)].filter((id): id is string => !!id && !known.get(id));
      if (unknown.length === 0) return known;
      const found = await Promise.all(unknown.map(async (id) => [id, await resolveName(customerId, id)] as const));
      const merged = new Map(known);
      for (const [id, name] of found) if (name !== null) merged.set(id, name);
      return merged;
    },
    invalidate: (customerId) => (customerId === undefined ? cache.clear() : cache.delete(customerId)),
  };
}
