import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditEvent, AuditEventSchema, entityTypeKey, REGIONS } from '../../src/domain/audit-event.js';
import {
  DEMO_ADMINS,
  DEMO_CUSTOMER_ID,
  demoSummaryHint,
  generateDemoEvents,
  SUPPORT_IMPERSONATORS,
} from '../../src/sources/demo/demo-generator.js';
import { IsoInstantFormatter } from '../../src/sources/demo/demo-timeline.js';

const NOW = Date.parse('2026-10-01T12:00:00.000Z');
const DAY = 86_400_000;
const OPTIONS = { customerId: DEMO_CUSTOMER_ID, count: 5_000, now: NOW, seed: 42 };
const events = [...generateDemoEvents(OPTIONS)];

type Doc = Record<string, unknown>;
const isDoc = (value: unknown): value is Doc => value !== null && typeof value === 'object' && !Array.isArray(value);
const doc = (value: unknown): Doc => (isDoc(value) ? value : {});
const uc = events.filter((e) => e.service === 'platform');
const cc = events.filter((e) => e.service === 'vccss');
const BOB = DEMO_ADMINS[1]!;

/** Applies platform `{new, old}` details to a state, as a reader of the audit trail would. */
function applyOldNew(state: Doc, details: { new?: unknown; old?: unknown }): Doc {
  const result: Doc = structuredClone(state);
  // `old` names removed attributes by their paths; emptied objects go with them.
  const remove = (target: Doc, removed: Doc, added: Doc) => {
    for (const [key, value] of Object.entries(removed)) {
      const current = target[key];
      if (isDoc(value) && isDoc(current)) {
        remove(current, value, doc(added[key]));
        if (Object.keys(current).length === 0 && !(key in added)) delete target[key];
      } else if (!(key in added)) delete target[key];
    }
  };
  const add = (target: Doc, added: Doc) => {
    for (const [key, value] of Object.entries(added)) {
      if (isDoc(value) && isDoc(target[key])) add(doc(target[key]), value);
      else target[key] = structuredClone(value);
    }
  };
  remove(result, doc(details.old), doc(details.new));
  add(result, doc(details.new));
  return result;
}

/** Every value the `old` side names must be what the state held before the update. */
function oldMatches(state: Doc, old: Doc): boolean {
  return Object.entries(old).every(([key, value]) =>
    isDoc(value) && isDoc(state[key])
      ? oldMatches(doc(state[key]), value)
      : JSON.stringify(state[key]) === JSON.stringify(value),
  );
}

function entityId(e: AuditEvent): string {
  return `${e.service}|${entityTypeKey(e.entityType)}|${e.entityKey}`;
}

describe('generateDemoEvents: shape', () => {
  it('yields exactly `count` events, each valid for the shared schema, from the demo source', () => {
    expect(events).toHaveLength(5_000);
    for (const event of events) expect(AuditEventSchema.parse(event)).toEqual(event);
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['demo']));
    expect(new Set(events.map((e) => e.customerId))).toEqual(new Set([DEMO_CUSTOMER_ID]));
    for (const count of [0, 1, 7, 120]) expect([...generateDemoEvents({ ...OPTIONS, count })]).toHaveLength(count);
  });

  it('is deterministic for equal options and differs for another seed or tenant', () => {
    expect(JSON.stringify([...generateDemoEvents(OPTIONS)])).toBe(JSON.stringify(events));
    const otherSeed = [...generateDemoEvents({ ...OPTIONS, seed: 43 })];
    const otherTenant = [...generateDemoEvents({ ...OPTIONS, customerId: 'tenant-b' })];
    for (const other of [otherSeed, otherTenant]) {
      expect(other[0]!.id).not.toBe(events[0]!.id);
      expect(JSON.stringify(other.slice(100, 200))).not.toBe(JSON.stringify(events.slice(100, 200)));
    }
  });

  it('keeps event ids unique, uuid-like, and independent of `now` so reloading the demo adds nothing', () => {
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const later = [...generateDemoEvents({ ...OPTIONS, now: NOW + 3 * DAY })];
    expect(later.map((e) => e.id)).toEqual(ids);
  });

  it('places events in [now − days, now], oldest first, as canonical ISO instants with milliseconds', () => {
    for (const [days, count] of [
      [90, 5_000],
      [7, 500],
      [0.5, 300],
    ] as const) {
      const list = days === 90 ? events : [...generateDemoEvents({ ...OPTIONS, days, count })];
      let previous = Number.NEGATIVE_INFINITY;
      for (const event of list) {
        const time = Date.parse(event.auditTimestamp);
        expect(new Date(time).toISOString()).toBe(event.auditTimestamp);
        expect(time).toBeGreaterThanOrEqual(NOW - days * DAY);
        expect(time).toBeLessThanOrEqual(NOW);
        expect(time).toBeGreaterThanOrEqual(previous);
        previous = time;
      }
    }
    // Spread over the whole window, not bunched at one end.
    const firstWeek = events.filter((e) => Date.parse(e.auditTimestamp) < NOW - 83 * DAY).length;
    expect(firstWeek).toBeGreaterThan(100);
  });

  it('never changes an event after yielding it (entity states are edited in place)', () => {
    const seenAtYield: string[] = [];
    const kept: AuditEvent[] = [];
    for (const event of generateDemoEvents({ ...OPTIONS, count: 3_000 })) {
      seenAtYield.push(JSON.stringify(event));
      kept.push(event);
    }
    expect(kept.map((event) => JSON.stringify(event))).toEqual(seenAtYield);
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateDemoEvents({ ...OPTIONS, count: -1 }).next()).toThrow(RangeError);
    expect(() => generateDemoEvents({ ...OPTIONS, count: 1.5 }).next()).toThrow(RangeError);
    expect(() => generateDemoEvents({ ...OPTIONS, days: 0 }).next()).toThrow(RangeError);
    expect(() => generateDemoEvents({ ...OPTIONS, now: Number.NaN }).next()).toThrow(RangeError);
  });
});

describe('generateDemoEvents: coverage', () => {
  it('covers every UC and CC entity type, every region, and create/update/delete/bulk', () => {
    expect(new Set(uc.map((e) => entityTypeKey(e.entityType)))).toEqual(
      new Set([
        'user',
        'extension',
        'phonenumber',
        'ringgroup',
        'callqueue',
        'autoattendant',
        'callforwardingrule',
        'operatorconnect',
      ]),
    );
    expect(new Set(cc.map((e) => entityTypeKey(e.entityType)))).toEqual(
      new Set(['user', 'agentgroup', 'queue', 'channel', 'script', 'crmproperty', 'campaign']),
    );
    expect(new Set(uc.map((e) => e.region))).toEqual(new Set([null]));
    expect(new Set(cc.map((e) => e.region))).toEqual(new Set(REGIONS));
    expect(new Set(events.map((e) => e.eventType))).toEqual(new Set(['create', 'update', 'delete', 'bulk']));
    expect(cc.some((e) => e.eventType === 'bulk')).toBe(true);
    // Real data spells entity types in several ways.
    expect(uc.some((e) => e.entityType === 'RingGroup')).toBe(true);
    expect(uc.some((e) => e.entityType === 'ringgroup')).toBe(true);
    expect(new Set(events.map((e) => e.accessMethod))).toEqual(
      new Set(['Admin Console', 'API', 'Bulk Import', 'Configuration Manager']),
    );
  });

  it('names every admin through their own user creation before they act', () => {
    for (const admin of DEMO_ADMINS) {
      const creation = events.findIndex(
        (e) => e.entityType === 'user' && e.entityKey === admin.id && e.eventType === 'create',
      );
      expect(creation).toBeGreaterThanOrEqual(0);
      expect(events[creation]!.displayName).toBe(`${admin.firstName} ${admin.lastName}`);
      // Nobody acts before their account exists (Alice, the owner, creates her own account first).
      const firstAction = events.findIndex((e) => e.auditUserId === admin.id);
      expect(firstAction).toBeGreaterThanOrEqual(creation);
    }
    const adminIds = new Set(DEMO_ADMINS.map((a) => a.id));
    expect(events.every((e) => e.auditUserId !== null && adminIds.has(e.auditUserId))).toBe(true);
  });

  it('has about 2% of changes made by 8x8 support impersonating an admin', () => {
    const impersonated = events.filter((e) => e.impersonator !== null);
    expect(impersonated.length / events.length).toBeGreaterThan(0.008);
    expect(impersonated.length / events.length).toBeLessThan(0.04);
    for (const e of impersonated) expect(SUPPORT_IMPERSONATORS).toContain(e.impersonator);
  });

  it('correlates a user creation with its extension and phone number within a second or so', () => {
    // The last change set may be cut short by `count`.
    const cutOff = Date.parse(events.at(-3)!.auditTimestamp);
    const userCreations = uc.filter(
      (e) => e.entityType === 'user' && e.eventType === 'create' && Date.parse(e.auditTimestamp) < cutOff,
    );
    expect(userCreations.length).toBeGreaterThan(DEMO_ADMINS.length);
    for (const creation of userCreations) {
      expect(creation.correlationType).toBe('user');
      expect(creation.correlationId).toBe(creation.entityKey);
      const set = uc.filter((e) => e.correlationId === creation.entityKey && e.eventType === 'create');
      expect(set.map((e) => e.entityType).sort()).toEqual(['extension', 'phonenumber', 'user']);
      const times = set.map((e) => Date.parse(e.auditTimestamp));
      expect(Math.max(...times) - Math.min(...times)).toBeLessThan(2_000);
      const extension = set.find((e) => e.entityType === 'extension')!;
      expect(doc(doc(extension.details).new).userId).toBe(creation.entityKey);
    }
  });

  it('contains Bob Chen deleting 40 users through the API within a minute, in the last three days', () => {
    const bursts = uc.filter(
      (e) =>
        e.eventType === 'delete' && e.entityType === 'user' && e.auditUserId === BOB.id && e.accessMethod === 'API',
    );
    const times = bursts.map((e) => Date.parse(e.auditTimestamp)).sort((a, b) => a - b);
    const largestWithinMinute = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 60_000).length));
    expect(largestWithinMinute).toBeGreaterThanOrEqual(40);
    const burstStart = times.find((t) => times.filter((u) => u >= t && u < t + 60_000).length >= 40)!;
    expect(burstStart).toBeGreaterThan(NOW - 3 * DAY);
  });

  it('includes hostile-but-valid names and realistic ones', () => {
    const names = new Set(events.map((e) => e.displayName));
    for (const fragment of ['<!channel>', '*bold*', '=HYPERLINK(', 'Ops & Billing', 'Sales – EMEA', 'Support Tier 2']) {
      expect([...names].some((name) => name?.includes(fragment))).toBe(true);
    }
  });

  it('uses opaque platform ids, E.164 phone numbers and uuid CC keys', () => {
    for (const e of uc) {
      if (e.entityType === 'phonenumber') expect(e.entityKey).toMatch(/^\+\d{10,12}$/);
      else expect(e.entityKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
    for (const e of cc)
      expect(e.entityKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('generateDemoEvents: UC old/new details', () => {
  it('gives creates only `new`, deletes only `old`, updates the changed attributes on both sides', () => {
    for (const e of uc) {
      const details = doc(e.details);
      if (e.eventType === 'create') expect(Object.keys(details)).toEqual(['new']);
      if (e.eventType === 'delete') expect(Object.keys(details)).toEqual(['old']);
      if (e.eventType === 'update') {
        expect(Object.keys(details).sort()).toEqual(['new', 'old']);
        expect(Object.keys(doc(details.new)).length + Object.keys(doc(details.old)).length).toBeGreaterThan(0);
      }
    }
    const updates = uc.filter((e) => e.eventType === 'update').map((e) => doc(e.details));
    expect(updates.some((d) => isDoc(doc(d.new).forwarding))).toBe(true); // nested objects
    expect(updates.some((d) => Array.isArray(doc(d.new).members))).toBe(true); // arrays as values
    expect(updates.some((d) => Object.keys(doc(d.old)).some((k) => !(k in doc(d.new))))).toBe(true); // removed
    expect(updates.some((d) => Object.keys(doc(d.new)).some((k) => !(k in doc(d.old))))).toBe(true); // added
  });

  it('is consistent: replaying create and updates gives the full state a deletion reports', () => {
    const states = new Map<string, Doc>();
    let replayedDeletes = 0;
    for (const e of uc) {
      const id = entityId(e);
      const details = doc(e.details);
      const state = states.get(id);
      if (e.eventType === 'create') states.set(id, doc(details.new));
      else if (state && e.eventType === 'update') {
        expect(oldMatches(state, doc(details.old))).toBe(true);
        states.set(id, applyOldNew(state, details));
      } else if (state && e.eventType === 'delete') {
        expect(details.old).toEqual(state);
        states.delete(id);
        replayedDeletes++;
      }
    }
    expect(replayedDeletes).toBeGreaterThan(10);
    const ringGroupDelete = uc.find((e) => entityTypeKey(e.entityType) === 'ringgroup' && e.eventType === 'delete');
    expect(doc(ringGroupDelete?.details).old).toMatchObject({
      members: expect.any(Array),
      huntPolicy: expect.any(String),
    });
  });
});

describe('generateDemoEvents: CC final states', () => {
  it('evolves each entity a few attributes at a time', () => {
    const last = new Map<string, Doc>();
    let pairs = 0;
    for (const e of cc) {
      if (e.eventType === 'bulk') continue;
      const state = doc(e.details);
      expect(Object.values(state).some((v) => isDoc(v))).toBe(false); // flat
      const previous = last.get(entityId(e));
      if (previous && e.eventType === 'update') {
        const keys = new Set([...Object.keys(previous), ...Object.keys(state)]);
        const changed = [...keys].filter((k) => JSON.stringify(previous[k]) !== JSON.stringify(state[k]));
        expect(changed.length).toBeGreaterThan(0);
        expect(changed.length).toBeLessThanOrEqual(Math.min(4, keys.size - 2));
        pairs++;
      }
      if (e.eventType === 'delete') last.delete(entityId(e));
      else last.set(entityId(e), state);
    }
    expect(pairs).toBeGreaterThan(200);
  });

  it('references generated entities of the same region by id', () => {
    const keysOf = (type: string) =>
      new Set(cc.filter((e) => entityTypeKey(e.entityType) === type).map((e) => e.entityKey));
    const groups = keysOf('agentgroup');
    const agents = keysOf('user');
    const groupRefs = cc
      .filter((e) => e.entityType === 'queue')
      .flatMap((e) => (doc(e.details).agentGroupIds ?? []) as string[]);
    expect(groupRefs.length).toBeGreaterThan(50);
    expect(groupRefs.filter((id) => groups.has(id)).length / groupRefs.length).toBeGreaterThan(0.8);
    const regionOf = new Map(cc.map((e) => [e.entityKey, e.region]));
    for (const e of cc.filter((x) => x.entityType === 'queue')) {
      for (const id of (doc(e.details).agentGroupIds ?? []) as string[]) {
        if (regionOf.has(id)) expect(regionOf.get(id)).toBe(e.region);
      }
    }
    const bulk = cc.filter((e) => e.eventType === 'bulk');
    for (const e of bulk) {
      const details = doc(e.details);
      const ids = details.agentIds as string[];
      expect(ids.length).toBe(details.agentCount);
      expect(['agentStatusChange', 'agentGroupAssignment']).toContain(details.operation);
    }
    const listed = bulk.flatMap((e) => doc(e.details).agentIds as string[]);
    expect(listed.filter((id) => agents.has(id)).length / listed.length).toBeGreaterThan(0.5);
  });
});

describe('demo helpers', () => {
  it('formats the first-run hint', () => {
    expect(demoSummaryHint()).toBe('Loaded 5,000 demo events over 90 days — try `op:delete when:7d` or `help`');
    expect(demoSummaryHint({ count: 1_000_000, days: 30 })).toContain('Loaded 1,000,000 demo events over 30 days');
  });

  it('formats instants exactly like toISOString', () => {
    const formatter = new IsoInstantFormatter();
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4_102_444_800_000 }), { minLength: 1, maxLength: 50 }),
        (times) => {
          for (const time of times.sort((a, b) => a - b)) {
            expect(formatter.format(time)).toBe(new Date(time).toISOString());
          }
        },
      ),
    );
  });
});
