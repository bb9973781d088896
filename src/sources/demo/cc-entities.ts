import {
  CC_AGENT_GROUP_NAMES,
  CC_AGENT_STATUSES,
  CC_CAMPAIGN_NAMES,
  CC_CHANNEL_NAMES,
  CC_CRM_PROPERTIES,
  CC_QUEUE_NAMES,
  CC_SCRIPT_NAMES,
  CC_SKILLS,
  type DemoRegion,
  MEDIA_TYPES,
  REGION_LABELS,
} from './demo-catalog.js';
import { asNumber, type CcKind, createEntity, type DemoEntity, type DemoState, type DemoWorld } from './demo-world.js';
import { StateEdit, snapshot } from './state-edit.js';

// Contact Center (Configuration Manager, service `vccss`) entities. Their audit events carry only the final,
// flat state, so each change must leave a state that differs from the previous one in a few attributes.
// References (`groupId`, `agentGroupIds`, `queueId`, `scriptId`) point at live entities of the same region.

function refs(world: DemoWorld, kind: CcKind, region: DemoRegion, min: number, max: number): string[] {
  const count = world.rng.int(min, max);
  return world.cc[kind][region].pickSome(world.rng, count).map((entity) => entity.key);
}

function ref(world: DemoWorld, kind: CcKind, region: DemoRegion): string | null {
  return world.cc[kind][region].random(world.rng)?.key ?? null;
}

function regional(world: DemoWorld, names: readonly string[], region: DemoRegion): string {
  return `${world.groupName(names)} – ${REGION_LABELS[region]}`;
}

type CcFactory = (world: DemoWorld, region: DemoRegion, key: string) => { state: DemoState; displayName: string };

const CC_FACTORIES: Record<CcKind, CcFactory> = {
  user: (world, region, key) => {
    const person = world.newPerson();
    const state = {
      agentId: key,
      firstName: person.firstName,
      lastName: person.lastName,
      username: person.email.split('@')[0] ?? key,
      email: person.email,
      groupId: ref(world, 'agentgroup', region),
      status: 'Offline',
      enabled: true,
      skills: world.rng.sample(CC_SKILLS, world.rng.int(1, 3)),
      maxConcurrentChats: world.rng.int(1, 4),
      supervisor: world.rng.chance(0.1),
    };
    return { state, displayName: person.fullName };
  },
  agentgroup: (world, region, key) => {
    const name = regional(world, CC_AGENT_GROUP_NAMES, region);
    const state = { groupId: key, name, description: `${name} agents`, enabled: true, supervisorIds: [] };
    return { state, displayName: name };
  },
  queue: (world, region, key) => {
    const name = regional(world, CC_QUEUE_NAMES, region);
    const state = {
      queueId: key,
      name,
      mediaType: world.rng.pick(MEDIA_TYPES),
      agentGroupIds: refs(world, 'agentgroup', region, 1, 3),
      priority: world.rng.int(1, 10),
      serviceLevelSeconds: world.rng.pick([20, 30, 60]),
      maxQueueSize: world.rng.pick([25, 50, 100]),
      enabled: true,
    };
    return { state, displayName: name };
  },
  channel: (world, region, key) => {
    const name = regional(world, CC_CHANNEL_NAMES, region);
    const mediaType = world.rng.pick(MEDIA_TYPES);
    const address = mediaType === 'phone' ? world.phoneNumber() : `${key.slice(0, 8)}@contact.northwind-demo.example`;
    const state = {
      channelId: key,
      name,
      mediaType,
      address,
      queueId: ref(world, 'queue', region),
      scriptId: ref(world, 'script', region),
      enabled: true,
    };
    return { state, displayName: name };
  },
  script: (world, region, key) => {
    const name = regional(world, CC_SCRIPT_NAMES, region);
    const mediaType = world.rng.pick(MEDIA_TYPES);
    const state = { scriptId: key, name, mediaType, version: 1, published: false, timeoutSeconds: 30 };
    return { state, displayName: name };
  },
  crmproperty: (world, _region, key) => {
    const label = world.groupName(CC_CRM_PROPERTIES);
    const state = {
      propertyId: key,
      name: label.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
      label,
      dataType: world.rng.pick(['text', 'number', 'date', 'picklist']),
      required: false,
      visibleToAgents: true,
    };
    return { state, displayName: label };
  },
  campaign: (world, region, key) => {
    const name = regional(world, CC_CAMPAIGN_NAMES, region);
    const state = {
      campaignId: key,
      name,
      queueId: ref(world, 'queue', region),
      status: 'Created',
      dialingMode: world.rng.pick(['Preview', 'Progressive', 'Predictive']),
      maxAttempts: world.rng.int(1, 5),
      retryMinutes: world.rng.pick([30, 60, 120]),
    };
    return { state, displayName: name };
  },
};

export function newCcEntity(world: DemoWorld, kind: CcKind, region: DemoRegion, name?: string): DemoEntity {
  const key = world.rng.uuid();
  const made = CC_FACTORIES[kind](world, region, key);
  if (name === undefined) return createEntity({ kind, key, region, ...made });
  const state = { ...made.state, name };
  return createEntity({ kind, key, region, state, displayName: name, pinned: true });
}

type CcMutation = (edit: StateEdit, world: DemoWorld, entity: DemoEntity) => void;

function other(key: string, options: readonly (string | number)[]): CcMutation {
  return (edit, world) => edit.set([key], world.rng.pickOther(options, edit.get([key])));
}

function flip(key: string): CcMutation {
  return (edit) => edit.set([key], edit.get([key]) !== true);
}

/** Points `key` at another live entity of the same region (no change when there is none). */
function reference(key: string, kind: CcKind): CcMutation {
  return (edit, world, entity) => {
    const next = world.cc[kind][entity.region ?? 'us'].random(world.rng);
    if (next !== undefined && next.key !== entity.key) edit.set([key], next.key);
  };
}

function references(key: string, kind: CcKind, min: number, max: number): CcMutation {
  return (edit, world, entity) => edit.set([key], refs(world, kind, entity.region ?? 'us', min, max));
}

const CC_MUTATIONS: Record<CcKind, readonly CcMutation[]> = {
  user: [
    other('status', CC_AGENT_STATUSES),
    reference('groupId', 'agentgroup'),
    (edit, world) => edit.set(['skills'], world.rng.sample(CC_SKILLS, world.rng.int(1, 4)).sort()),
    other('maxConcurrentChats', [1, 2, 3, 4, 5]),
    flip('supervisor'),
  ],
  agentgroup: [
    flip('enabled'),
    references('supervisorIds', 'user', 1, 2),
    other('description', ['Day shift', 'Overflow team', 'Escalations', 'Weekend cover']),
  ],
  queue: [
    references('agentGroupIds', 'agentgroup', 1, 3),
    other('priority', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    other('serviceLevelSeconds', [15, 20, 30, 45, 60]),
    other('maxQueueSize', [10, 25, 50, 100, 200]),
    reference('overflowQueueId', 'queue'),
  ],
  channel: [flip('enabled'), reference('queueId', 'queue'), reference('scriptId', 'script')],
  script: [
    // Scripts are edited as drafts, then published.
    (edit) => {
      if (edit.get(['published']) !== true) return edit.set(['published'], true);
      edit.set(['version'], asNumber(edit.get(['version']), 1) + 1);
      edit.set(['published'], false);
    },
    other('mediaType', MEDIA_TYPES),
    other('timeoutSeconds', [10, 20, 30, 45, 60]),
  ],
  crmproperty: [flip('required'), flip('visibleToAgents'), other('dataType', ['text', 'number', 'date', 'picklist'])],
  campaign: [
    other('status', ['Created', 'Running', 'Paused', 'Completed']),
    other('maxAttempts', [1, 2, 3, 4, 5]),
    other('retryMinutes', [15, 30, 60, 120, 240]),
    reference('queueId', 'queue'),
  ],
};

/**
 * Changes one or two attributes of a CC entity in place; returns a copy of its new final state, which
 * always differs from the state its previous event showed (a bulk change since then may have undone an edit).
 */
export function mutateCcEntity(world: DemoWorld, entity: DemoEntity): DemoState {
  const mutations = CC_MUTATIONS[entity.kind as CcKind];
  const edit = new StateEdit(entity.state);
  for (let attempt = 0; attempt < 6 && !edit.differsFromShown(entity.beforeBulk); attempt++) {
    world.rng.pick(mutations)(edit, world, entity);
  }
  if (world.rng.chance(0.3)) world.rng.pick(mutations)(edit, world, entity);
  if (!edit.differsFromShown(entity.beforeBulk)) edit.set(['revision'], asNumber(edit.get(['revision']), 0) + 1);
  entity.beforeBulk = undefined;
  return snapshot(entity.state);
}
