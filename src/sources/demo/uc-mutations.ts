import {
  CALL_QUEUE_NAMES,
  DEPARTMENTS,
  JOB_TITLES,
  LAST_NAMES,
  LOCALES,
  RING_GROUP_NAMES,
  TIME_ZONES,
} from './demo-catalog.js';
import { asNumber, asStrings, type DemoEntity, type DemoState, type DemoWorld, type UcKind } from './demo-world.js';
import { StateEdit } from './state-edit.js';
import { anyExtension, HUNT_POLICIES } from './uc-entities.js';

/**
 * One kind of edit an admin makes, applied through a StateEdit. The mutations of a kind touch different
 * attributes, so two applied to one event never cancel out.
 */
type Mutation = (edit: StateEdit, world: DemoWorld, entity: DemoEntity) => void;

function replace(path: readonly string[], options: readonly (string | number)[]): Mutation {
  return (edit, world) => edit.set(path, world.rng.pickOther(options, edit.get(path)));
}

function toggle(path: readonly string[]): Mutation {
  return (edit) => edit.set(path, edit.get(path) !== true);
}

/** Adds the attribute when absent, removes it when present: the "added" and "removed" kinds of change. */
function addOrRemove(path: readonly string[], value: (world: DemoWorld) => string | DemoState): Mutation {
  return (edit, world) => (edit.get(path) === undefined ? edit.set(path, value(world)) : edit.remove(path));
}

/** Adds an extension to a member list, or removes one when the list is long enough (always a new array). */
function membership(key: string): Mutation {
  return (edit, world) => {
    const members = asStrings(edit.get([key]));
    if (members.length > 1 && world.rng.chance(0.45)) {
      const leaving = world.rng.pick(members);
      edit.set(
        [key],
        members.filter((member) => member !== leaving),
      );
      return;
    }
    const joining = anyExtension(world);
    edit.set([key], members.includes(joining) ? members.slice(1) : [...members, joining]);
  };
}

function renameGroup(names: readonly string[]): Mutation {
  return (edit, world, entity) => {
    if (entity.pinned) {
      edit.set(['musicOnHold'], world.rng.pickOther(['Default', 'Corporate', 'Jazz'], edit.get(['musicOnHold'])));
      return;
    }
    const name = world.groupName(names);
    entity.displayName = name;
    edit.set(['name'], name);
  };
}

const renameUser: Mutation = (edit, world, entity) => {
  if (entity.pinned) {
    edit.set(['displayAsContact'], edit.get(['displayAsContact']) !== true);
    return;
  }
  world.releaseName(entity.displayName);
  const firstName = String(edit.get(['firstName']));
  const person = world.newPerson({ firstName, lastName: world.rng.pickOther(LAST_NAMES, edit.get(['lastName'])) });
  entity.displayName = person.fullName;
  edit.set(['firstName'], person.firstName);
  edit.set(['lastName'], person.lastName);
  edit.set(['primaryEmail'], person.email);
};

function setTo(path: readonly string[], value: (world: DemoWorld) => string | number): Mutation {
  return (edit, world) => edit.set(path, value(world));
}

const ringsOptions = [2, 3, 4, 5, 6, 8];

const UC_MUTATIONS: Record<UcKind, readonly Mutation[]> = {
  user: [
    replace(['jobTitle'], JOB_TITLES),
    replace(['department'], DEPARTMENTS),
    replace(['status'], ['ACTIVE', 'SUSPENDED']),
    replace(['locale'], LOCALES),
    replace(['timeZoneId'], TIME_ZONES),
    addOrRemove(['mobilePhone'], (world) => `+1 555 01${String(world.rng.int(0, 99)).padStart(2, '0')}`),
    renameUser,
  ],
  extension: [
    replace(['forwarding', 'noAnswer', 'afterRings'], ringsOptions),
    (edit, world) => {
      const path = ['forwarding', 'noAnswer', 'target'];
      edit.set(path, world.rng.pickOther(['voicemail', 'mobile', anyExtension(world)], edit.get(path)));
    },
    addOrRemove(['forwarding', 'unavailable'], () => ({ target: 'mobile' })),
    toggle(['voicemail', 'transcription']),
    replace(['dialPlan'], ['Standard', 'International', 'Internal only']),
  ],
  phonenumber: [
    toggle(['smsEnabled']),
    setTo(['emergencyAddressId'], (world) => world.rng.opaqueId()),
    addOrRemove(['label'], (world) => world.rng.pick(['Direct line', 'Main line', 'Fax'])),
  ],
  ringgroup: [
    membership('members'),
    replace(['huntPolicy'], HUNT_POLICIES),
    replace(['ringTimeoutSeconds'], [15, 20, 25, 30, 45]),
    setTo(['noAnswer', 'target'], anyExtension),
    addOrRemove(['callerIdPrefix'], (world) => world.rng.pick(['SALES:', 'SUPPORT:', 'VIP:'])),
    renameGroup(RING_GROUP_NAMES),
  ],
  callqueue: [
    membership('agents'),
    replace(['distribution'], ['LONGEST_IDLE', 'ROUND_ROBIN', 'SIMULTANEOUS']),
    replace(['maxWaitSeconds'], [60, 120, 180, 300, 600]),
    replace(['overflow', 'afterSeconds'], [30, 60, 90, 120, 180]),
    toggle(['announcePosition']),
    renameGroup(CALL_QUEUE_NAMES),
  ],
  autoattendant: [
    replace(['businessHours', 'close'], ['17:00', '17:30', '18:00', '19:00', '20:00']),
    replace(['businessHours', 'open'], ['07:30', '08:00', '08:30', '09:00']),
    addOrRemove(['menu', '3'], (world) => `ext:${anyExtension(world)}`),
    replace(['language'], LOCALES),
    replace(['afterHours', 'action'], ['voicemail', 'disconnect', 'transfer']),
  ],
  callforwardingrule: [
    toggle(['enabled']),
    replace(['condition'], ['NO_ANSWER', 'BUSY', 'ALWAYS', 'UNREACHABLE']),
    replace(['forwarding', 'afterRings'], ringsOptions),
    replace(['schedule'], ['Always', 'After hours', 'Weekends']),
  ],
  operatorconnect: [
    replace(['status'], ['ACTIVE', 'SUSPENDED', 'PROVISIONING']),
    (edit, world) => edit.set(['numbersAssigned'], asNumber(edit.get(['numbersAssigned']), 10) + world.rng.int(1, 20)),
    replace(['usage'], ['CallingUserAssignment', 'FirstPartyAppAssignment', 'ConferenceAssignment']),
  ],
};

/** Applies one or two different edits to a UC entity in place; returns the update's `{new, old}` details. */
export function mutateUcEntity(world: DemoWorld, kind: UcKind, entity: DemoEntity) {
  const mutations = UC_MUTATIONS[kind];
  const edit = new StateEdit(entity.state);
  let first = 0;
  // A random target can equal the current one (the same extension picked): try another edit.
  for (let attempt = 0; attempt < 6 && !edit.changed; attempt++) {
    first = world.rng.int(0, mutations.length - 1);
    (mutations[first] as Mutation)(edit, world, entity);
  }
  if (world.rng.chance(0.3)) {
    const second = (first + world.rng.int(1, mutations.length - 1)) % mutations.length;
    (mutations[second] as Mutation)(edit, world, entity);
  }
  return edit.oldNew();
}
