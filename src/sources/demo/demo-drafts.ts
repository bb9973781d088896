import type { AuditEvent, EventType } from '../../domain/audit-event.js';
import {
  CC_ACCESS,
  DEMO_ADMINS,
  type DemoAdmin,
  IMPERSONATION_RATE,
  SUPPORT_IMPERSONATORS,
  UC_ACCESS_CHANGE,
  UC_ACCESS_CREATE,
} from './demo-catalog.js';
import type { DemoEntity, DemoWorld } from './demo-world.js';
import type { DemoRandom } from './random.js';
import { weightTable } from './random.js';

/**
 * An audit event of a change set, before it gets its id and instant (filled in as it is yielded);
 * `offsetMs` places it after the first event of its set.
 */
export interface DemoDraft {
  offsetMs: number;
  event: AuditEvent;
}

/** Who does a change set, and through which door. */
export interface DemoAction {
  actor: DemoAdmin;
  impersonator: string | null;
  accessMethod: string;
}

const UC_ACTORS = weightTable(DEMO_ADMINS.filter((a) => a.ucWeight > 0).map((a) => [a, a.ucWeight] as const));
const CC_ACTORS = weightTable(DEMO_ADMINS.filter((a) => a.ccWeight > 0).map((a) => [a, a.ccWeight] as const));

export function randomAction(rng: DemoRandom, service: 'platform' | 'vccss', eventType: EventType): DemoAction {
  const actor = rng.weighted(service === 'platform' ? UC_ACTORS : CC_ACTORS);
  const impersonator = rng.chance(IMPERSONATION_RATE) ? rng.pick(SUPPORT_IMPERSONATORS) : null;
  const access = service === 'vccss' ? CC_ACCESS : eventType === 'create' ? UC_ACCESS_CREATE : UC_ACCESS_CHANGE;
  return { actor, impersonator, accessMethod: rng.weighted(access) };
}

/** Real data spells some entity types in several ways (`RingGroup`, `ringgroup`); so does the demo. */
function spelling(rng: DemoRandom, kind: string): string {
  if (kind === 'ringgroup' && rng.chance(0.25)) return 'RingGroup';
  if (kind === 'agentgroup' && rng.chance(0.2)) return 'AgentGroup';
  return kind;
}

export interface DraftInput {
  action: DemoAction;
  entity: DemoEntity;
  eventType: EventType;
  details: unknown;
  offsetMs?: number;
  /** Parent of a change set: the user whose creation made this extension. */
  correlation?: { type: string; id: string };
}

export function draft(world: Pick<DemoWorld, 'rng' | 'customerId'>, input: DraftInput): DemoDraft {
  const { action, entity } = input;
  const event: AuditEvent = {
    id: '',
    customerId: world.customerId,
    auditTimestamp: '',
    eventType: input.eventType,
    service: entity.region === null ? 'platform' : 'vccss',
    entityType: spelling(world.rng, entity.kind),
    entityKey: entity.key,
    displayName: entity.displayName,
    auditUserId: action.actor.id,
    impersonator: action.impersonator,
    details: input.details,
    rawDetails: null,
    correlationType: input.correlation?.type ?? null,
    correlationId: input.correlation?.id ?? null,
    accessMethod: action.accessMethod,
    region: entity.region,
    source: 'demo',
  };
  return { offsetMs: input.offsetMs ?? 0, event };
}
