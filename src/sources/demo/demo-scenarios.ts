import type { EventType } from '../../domain/audit-event.js';
import { mutateCcEntity, newCcEntity } from './cc-entities.js';
import { type DemoRegion, REGION_WEIGHTS } from './demo-catalog.js';
import { type DemoAction, type DemoDraft, draft, randomAction } from './demo-drafts.js';
import type { CcKind, DemoEntity, DemoWorld, EntityPool, Person, UcKind } from './demo-world.js';
import { weightTable } from './random.js';
import { snapshot } from './state-edit.js';
import {
  newAutoAttendant,
  newCallQueue,
  newForwardingRule,
  newOperatorConnect,
  newRingGroup,
  newUcUserBundle,
} from './uc-entities.js';
import { mutateUcEntity } from './uc-mutations.js';

// Change sets the demo tenant's admins make at random: one event, or a few correlated ones.

const UC_SHARE = 0.6;
const CC_BULK_RATE = 0.04;
/** Pools never shrink below this, so updates always find something to change. */
const MIN_POOL = 3;

const UC_KIND_WEIGHTS = weightTable<UcKind>([
  ['user', 22],
  ['extension', 14],
  ['phonenumber', 7],
  ['ringgroup', 12],
  ['callqueue', 10],
  ['autoattendant', 6],
  ['callforwardingrule', 16],
  ['operatorconnect', 3],
]);
const CC_KIND_WEIGHTS = weightTable<CcKind>([
  ['user', 30],
  ['agentgroup', 10],
  ['queue', 15],
  ['channel', 10],
  ['script', 14],
  ['crmproperty', 8],
  ['campaign', 9],
]);
const OPERATIONS = weightTable<'create' | 'update' | 'delete'>([
  ['update', 78],
  ['create', 12],
  ['delete', 10],
]);

type UcFactory = (world: DemoWorld) => DemoEntity;
const UC_FACTORIES: Record<Exclude<UcKind, 'user' | 'extension' | 'phonenumber'>, UcFactory> = {
  ringgroup: (world) => newRingGroup(world),
  callqueue: (world) => newCallQueue(world),
  autoattendant: (world) => newAutoAttendant(world),
  callforwardingrule: newForwardingRule,
  operatorconnect: newOperatorConnect,
};

/** Create/update/delete as chosen, unless the pool is full (no create) or too small (no delete). */
function feasibleOperation(wanted: 'create' | 'update' | 'delete', pool: EntityPool): 'create' | 'update' | 'delete' {
  if (pool.size === 0) return 'create';
  if (wanted === 'create' && pool.full) return 'update';
  if (wanted === 'delete' && pool.size <= MIN_POOL) return 'update';
  return wanted;
}

/** The Admin Console's user-creation flow: user, then their phone number and extension, one change set. */
export function ucUserCreation(world: DemoWorld, action: DemoAction, person: Person, id?: string, pinned = false) {
  const { rng } = world;
  const user = newUcUserBundle(world, person, id, pinned);
  const correlation = { type: 'user', id: user.key };
  const drafts = [
    draft(world, { action, entity: user, eventType: 'create', details: { new: snapshot(user.state) }, correlation }),
  ];
  let offsetMs = 0;
  for (const linked of [user.phoneNumber, user.extension]) {
    if (!linked) continue;
    offsetMs += rng.int(40, 450);
    drafts.push(
      draft(world, {
        action,
        entity: linked,
        eventType: 'create',
        details: { new: snapshot(linked.state) },
        offsetMs,
        correlation,
      }),
    );
  }
  world.uc.user.add(user);
  if (user.phoneNumber) world.uc.phonenumber.add(user.phoneNumber);
  if (user.extension) world.uc.extension.add(user.extension);
  return drafts;
}

/** Deleting a user removes their extension and phone number too; `old` keeps each full last state. */
export function ucUserDeletion(world: DemoWorld, action: DemoAction, user: DemoEntity, cascade: boolean) {
  const { rng } = world;
  const correlation = { type: 'user', id: user.key };
  const drafts = [
    draft(world, { action, entity: user, eventType: 'delete', details: { old: user.state }, correlation }),
  ];
  let offsetMs = 0;
  for (const linked of [user.extension, user.phoneNumber]) {
    if (!linked || linked.poolIndex < 0) continue;
    if (cascade) {
      offsetMs += rng.int(40, 450);
      drafts.push(
        draft(world, {
          action,
          entity: linked,
          eventType: 'delete',
          details: { old: linked.state },
          offsetMs,
          correlation,
        }),
      );
    }
    (linked.kind === 'extension' ? world.uc.extension : world.uc.phonenumber).remove(linked);
  }
  world.uc.user.remove(user);
  world.releaseName(user.displayName);
  return drafts;
}

function ucUpdate(world: DemoWorld, action: DemoAction, kind: UcKind, entity: DemoEntity): DemoDraft {
  return draft(world, { action, entity, eventType: 'update', details: mutateUcEntity(world, kind, entity) });
}

function randomUcGroup(world: DemoWorld): DemoDraft[] {
  const { rng } = world;
  const kind = rng.weighted(UC_KIND_WEIGHTS);
  const linkedOnly = kind === 'extension' || kind === 'phonenumber';
  const pool = world.uc[kind];
  // Extensions and numbers come and go with their user; on their own they are only edited.
  const operation = linkedOnly && pool.size > 0 ? 'update' : feasibleOperation(rng.weighted(OPERATIONS), pool);
  const target = pool.random(rng);
  const action = randomAction(rng, 'platform', operation);
  if (operation === 'create' || target === undefined) {
    if (kind === 'user' || linkedOnly) return ucUserCreation(world, action, world.newPerson());
    const entity = UC_FACTORIES[kind](world);
    pool.add(entity);
    return [draft(world, { action, entity, eventType: 'create', details: { new: snapshot(entity.state) } })];
  }
  if (operation === 'delete' && !target.pinned) {
    if (kind === 'user') return ucUserDeletion(world, action, target, true);
    pool.remove(target);
    return [draft(world, { action, entity: target, eventType: 'delete', details: { old: target.state } })];
  }
  return [ucUpdate(world, action, kind, target)];
}

/** A bulk operation's effect on one agent, which gets no event of its own. */
function changeSilently(agent: DemoEntity, key: string, value: string): void {
  agent.beforeBulk ??= {};
  if (!(key in agent.beforeBulk)) agent.beforeBulk[key] = agent.state[key] ?? null;
  agent.state[key] = value;
}

/** Configuration Manager bulk operations: many agents' status or group changed in one go. */
function ccBulk(world: DemoWorld, region: DemoRegion): DemoDraft[] {
  const { rng } = world;
  const agents = world.cc.user[region].pickSome(rng, rng.int(3, 15));
  const group = rng.chance(0.4) ? world.cc.agentgroup[region].random(rng) : undefined;
  const action = randomAction(rng, 'vccss', 'bulk');
  const agentIds = agents.map((agent) => agent.key);
  let details: Record<string, unknown>;
  let displayName: string;
  if (group) {
    for (const agent of agents) changeSilently(agent, 'groupId', group.key);
    details = { operation: 'agentGroupAssignment', groupId: group.key, agentIds, agentCount: agents.length };
    displayName = `Bulk group assignment – ${group.displayName} (${agents.length} agents)`;
  } else {
    const status = rng.pick(['Offline', 'Available', 'On Break']);
    for (const agent of agents) changeSilently(agent, 'status', status);
    details = { operation: 'agentStatusChange', status, agentIds, agentCount: agents.length };
    displayName = `Bulk status change (${agents.length} agents)`;
  }
  const job = { kind: 'user', key: rng.uuid(), region, state: {}, displayName, pinned: false, poolIndex: -1 };
  return [draft(world, { action, entity: job, eventType: 'bulk', details })];
}

function randomCcGroup(world: DemoWorld): DemoDraft[] {
  const { rng } = world;
  const region = rng.weighted(REGION_WEIGHTS);
  if (rng.chance(CC_BULK_RATE) && world.cc.user[region].size > 0) return ccBulk(world, region);
  const kind = rng.weighted(CC_KIND_WEIGHTS);
  const pool = world.cc[kind][region];
  const operation: EventType = feasibleOperation(rng.weighted(OPERATIONS), pool);
  const action = randomAction(rng, 'vccss', operation);
  const target = pool.random(rng);
  if (operation === 'create' || target === undefined) {
    const entity = newCcEntity(world, kind, region);
    pool.add(entity);
    return [draft(world, { action, entity, eventType: 'create', details: snapshot(entity.state) })];
  }
  if (operation === 'delete' && !target.pinned) {
    pool.remove(target);
    if (kind === 'user') world.releaseName(target.displayName);
    // CC events carry the final state; for a deletion that is the state the entity had when removed.
    return [draft(world, { action, entity: target, eventType: 'delete', details: target.state })];
  }
  return [draft(world, { action, entity: target, eventType: 'update', details: mutateCcEntity(world, target) })];
}

export function randomChangeSet(world: DemoWorld): DemoDraft[] {
  return world.rng.chance(UC_SHARE) ? randomUcGroup(world) : randomCcGroup(world);
}
