import type { AuditEvent } from '../../domain/audit-event.js';
import { randomChangeSet } from './demo-scenarios.js';
import { deletionBurst, openingChangeSets, planDeletionBurst, seedPopulation } from './demo-story.js';
import { DemoTimeline, IsoInstantFormatter } from './demo-timeline.js';
import { DemoWorld } from './demo-world.js';
import { DemoRandom, hashText, hex8 } from './random.js';

export { DEMO_ADMINS, DEMO_CUSTOMER_ID, SUPPORT_IMPERSONATORS } from './demo-catalog.js';

export const DEMO_DEFAULT_DAYS = 90;
export const DEMO_DEFAULT_COUNT = 5_000;
const DEFAULT_SEED = 8;

export interface DemoOptions {
  customerId: string;
  count: number;
  /** Epoch ms the history ends at. */
  now: number;
  /** Length of the history; default 90 (the Admin Console's retention). */
  days?: number;
  seed?: number;
}

function checkOptions(options: DemoOptions): void {
  if (!Number.isInteger(options.count) || options.count < 0) {
    throw new RangeError(`demo event count must be a whole number ≥ 0, got ${options.count}`);
  }
  const days = options.days ?? DEMO_DEFAULT_DAYS;
  if (!(days > 0) || !Number.isFinite(days)) throw new RangeError(`demo days must be > 0, got ${days}`);
  if (!Number.isFinite(options.now)) throw new RangeError('demo `now` must be epoch milliseconds');
  if (options.customerId.length === 0) throw new RangeError('demo customerId must not be empty');
}

/**
 * Bigger histories get a bigger tenant, up to 4× the 5,000-event demo's (600 users, 640 agents). Larger
 * tenants gain no realism a benchmark notices and cost generation speed (a bigger live heap to collect).
 */
function tenantScale(count: number): number {
  return Math.min(4, Math.max(1, count / DEMO_DEFAULT_COUNT));
}

/**
 * A realistic audit history of a UC + multi-region CC tenant, oldest first, in [now − days, now].
 * Deterministic: equal options give equal events. Event ids depend only on customer, seed and position,
 * so loading the demo again later (another `now`) recognises the events already stored.
 *
 * Events may share array values inside `details` (e.g. an unchanged member list); treat them as read-only.
 */
export function* generateDemoEvents(options: DemoOptions): Generator<AuditEvent> {
  checkOptions(options);
  const { customerId, count, now } = options;
  if (count === 0) return;
  const seed = (hashText(customerId) ^ Math.imul(options.seed ?? DEFAULT_SEED, 0x9e3779b1)) >>> 0;
  const rng = new DemoRandom(seed);
  const idRng = new DemoRandom(seed ^ 0x5bd1e995);
  const idSalt = idRng.uint32();
  const world = new DemoWorld(rng, customerId, tenantScale(count));
  const timeline = new DemoTimeline(now, options.days ?? DEMO_DEFAULT_DAYS, count);
  seedPopulation(world);
  const opening = openingChangeSets(world);
  const burst = planDeletionBurst(world, timeline, count, opening.flat().length);
  let burstDone = burst === null;
  let openingNext = 0;
  let emitted = 0;
  let lastTime = Number.NEGATIVE_INFINITY;
  const instants = new IsoInstantFormatter();
  while (emitted < count) {
    let changeSet = opening[openingNext++];
    if (changeSet === undefined && !burstDone && burst && emitted >= burst.atIndex) {
      changeSet = deletionBurst(world, burst.size);
      burstDone = true;
    }
    changeSet ??= randomChangeSet(world);
    const setStart = timeline.slotTime(emitted, rng.float());
    for (const draft of changeSet) {
      if (emitted >= count) return;
      // Strictly increasing where possible, so "the previous state" of an entity is never a tie.
      const time = Math.min(now, Math.max(setStart + draft.offsetMs, lastTime + 1));
      lastTime = time;
      const { event } = draft;
      event.id = idRng.uuidWithTail(hex8((idSalt + emitted) >>> 0));
      event.auditTimestamp = instants.format(time);
      yield event;
      emitted++;
    }
  }
}

/** The first-run hint shown after the demo history is loaded. */
export function demoSummaryHint(options: { count?: number; days?: number } = {}): string {
  const count = (options.count ?? DEMO_DEFAULT_COUNT).toLocaleString('en-US');
  const days = options.days ?? DEMO_DEFAULT_DAYS;
  return `Loaded ${count} demo events over ${days} days — try \`op:delete when:7d\` or \`help\``;
}
