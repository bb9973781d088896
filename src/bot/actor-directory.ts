import type { EventStore, KnownActor } from '../store/event-store.js';

/**
 * Actor ids → names per tenant, from the user entities in the store. Cached briefly: resolving
 * `who:alice` and labelling a page must not rescan the store on every command.
 */
export interface ActorDirectory {
  list(customerId: string): Promise<KnownActor[]>;
  names(customerId: string): Promise<ReadonlyMap<string, string | null>>;
  invalidate(customerId?: string): void;
}

interface Entry {
  at: number;
  actors: KnownActor[];
  names: Map<string, string | null>;
}

export function createActorDirectory(
  store: EventStore,
  options: { ttlMs?: number; clock?: () => number } = {},
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
    names: async (customerId) => (await entry(customerId)).names,
    invalidate: (customerId) => (customerId === undefined ? cache.clear() : cache.delete(customerId)),
  };
}
