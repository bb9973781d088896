import { newCcEntity } from './cc-entities.js';
import { BURST_ADMIN_INDEX, CC_REGIONS, DEMO_ADMINS, type DemoAdmin, SHOWCASE_NAMES } from './demo-catalog.js';
import type { DemoAction, DemoDraft } from './demo-drafts.js';
import { draft } from './demo-drafts.js';
import { ucUserCreation, ucUserDeletion } from './demo-scenarios.js';
import { DAY_MS, type DemoTimeline } from './demo-timeline.js';
import { CC_KINDS, type DemoWorld } from './demo-world.js';
import { snapshot } from './state-edit.js';
import {
  newAutoAttendant,
  newCallQueue,
  newForwardingRule,
  newOperatorConnect,
  newRingGroup,
  newUcUserBundle,
} from './uc-entities.js';

// The scripted parts of the demo history: what existed before auditing was switched on, the admins'
// own accounts at the start of the window, the hostile names, and one alarming bulk deletion near the end.

const PREEXISTING_SHARE = 0.6;

/** Configuration that existed before the window: edited and deleted in the history, never created in it. */
export function seedPopulation(world: DemoWorld): void {
  const fill = (capacity: number, make: () => void) => {
    for (let i = 0; i < Math.round(capacity * PREEXISTING_SHARE); i++) make();
  };
  fill(world.uc.user.capacity, () => {
    const user = newUcUserBundle(world, world.newPerson());
    world.uc.user.add(user);
    if (user.extension) world.uc.extension.add(user.extension);
    if (user.phoneNumber) world.uc.phonenumber.add(user.phoneNumber);
  });
  fill(world.uc.ringgroup.capacity, () => world.uc.ringgroup.add(newRingGroup(world)));
  fill(world.uc.callqueue.capacity, () => world.uc.callqueue.add(newCallQueue(world)));
  fill(world.uc.autoattendant.capacity, () => world.uc.autoattendant.add(newAutoAttendant(world)));
  fill(world.uc.callforwardingrule.capacity, () => world.uc.callforwardingrule.add(newForwardingRule(world)));
  fill(world.uc.operatorconnect.capacity, () => world.uc.operatorconnect.add(newOperatorConnect(world)));
  // Order matters: agents, queues and channels reference groups, queues and scripts made before them.
  const order = ['agentgroup', 'script', 'queue', 'user', 'channel', 'crmproperty', 'campaign'] as const;
  for (const kind of order) {
    for (const region of CC_REGIONS) {
      const pool = world.cc[kind][region];
      fill(pool.capacity, () => pool.add(newCcEntity(world, kind, region)));
    }
  }
  if (order.length !== CC_KINDS.length) throw new Error('seedPopulation misses a CC entity kind');
}

function adminAction(admin: DemoAdmin, accessMethod = 'Admin Console'): DemoAction {
  return { actor: admin, impersonator: null, accessMethod };
}

/**
 * The first change sets of the window: each admin's own account (so the store can name every actor), then
 * entities whose names must be escaped downstream (`<!channel>`, `*bold*`, a formula, `&`).
 */
export function openingChangeSets(world: DemoWorld): DemoDraft[][] {
  const owner = DEMO_ADMINS[0] as DemoAdmin;
  const sets: DemoDraft[][] = DEMO_ADMINS.map((admin) => {
    const person = world.newPerson({ firstName: admin.firstName, lastName: admin.lastName });
    return ucUserCreation(world, adminAction(owner), person, admin.id, true);
  });
  const ccLead = DEMO_ADMINS.find((admin) => admin.ccWeight >= 16) ?? owner;
  const showcase = [
    { entity: newRingGroup(world, 'Sales – EMEA', true), pool: world.uc.ringgroup, by: owner },
    { entity: newRingGroup(world, SHOWCASE_NAMES.ringGroupMention, true), pool: world.uc.ringgroup, by: owner },
    { entity: newCallQueue(world, 'Support Tier 2', true), pool: world.uc.callqueue, by: owner },
    { entity: newCallQueue(world, SHOWCASE_NAMES.callQueueBold, true), pool: world.uc.callqueue, by: owner },
    {
      entity: newAutoAttendant(world, SHOWCASE_NAMES.autoAttendantFormula, true),
      pool: world.uc.autoattendant,
      by: owner,
    },
  ];
  for (const { entity, pool, by } of showcase) {
    pool.add(entity);
    sets.push([
      draft(world, {
        action: adminAction(by),
        entity,
        eventType: 'create',
        details: { new: snapshot(entity.state) },
      }),
    ]);
  }
  const opsGroup = newCcEntity(world, 'agentgroup', 'uk-eu', SHOWCASE_NAMES.agentGroupAmpersand);
  world.cc.agentgroup['uk-eu'].add(opsGroup);
  const ccAction = adminAction(ccLead, 'Configuration Manager');
  sets.push([
    draft(world, { action: ccAction, entity: opsGroup, eventType: 'create', details: snapshot(opsGroup.state) }),
  ]);
  return sets;
}

/** Where the bulk deletion goes: an event index whose instant lies in the last three days. */
export interface DeletionBurstPlan {
  atIndex: number;
  size: number;
}

export function planDeletionBurst(world: DemoWorld, timeline: DemoTimeline, count: number, openingEvents: number) {
  const size = count >= 500 ? Math.min(40, Math.floor(count / 50)) : 0;
  if (size === 0) return null;
  const earliest = Math.ceil(count * timeline.fractionBefore(timeline.now - 3 * DAY_MS + 3_600_000));
  const latest = count - size - 5;
  const atIndex = latest <= earliest ? Math.max(openingEvents, latest) : world.rng.int(earliest, latest);
  return { atIndex, size } satisfies DeletionBurstPlan;
}

/** Bob Chen deletes many users through the API within a minute: the case security alerts exist for. */
export function deletionBurst(world: DemoWorld, size: number): DemoDraft[] {
  const admin = DEMO_ADMINS[BURST_ADMIN_INDEX] as DemoAdmin;
  const action = adminAction(admin, 'API');
  const victims = world.uc.user.sample(world.rng, size, (user) => !user.pinned);
  const drafts: DemoDraft[] = [];
  let offsetMs = 0;
  for (const user of victims) {
    // One API call per user, about a second apart; the users' extensions and numbers go silently with them.
    const [userDeletion] = ucUserDeletion(world, action, user, false);
    if (userDeletion) drafts.push({ offsetMs, event: userDeletion.event });
    offsetMs += world.rng.int(900, 1400);
  }
  return drafts;
}
