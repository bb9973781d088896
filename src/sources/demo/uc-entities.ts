import {
  AUTO_ATTENDANT_NAMES,
  CALL_QUEUE_NAMES,
  DEPARTMENTS,
  FORWARDING_RULE_NAMES,
  JOB_TITLES,
  LOCALES,
  OPERATORS,
  RING_GROUP_NAMES,
  TIME_ZONES,
  USER_TEMPLATE_IDS,
} from './demo-catalog.js';
import { createEntity, type DemoEntity, type DemoWorld, formatPhoneNumber, type Person } from './demo-world.js';

// Factories for the UC (Admin Console, service `platform`) configuration of the demo tenant. Shapes follow
// the Audit Records API example (`userId`, `loginId`, `status`, `timeZoneId`, …) and what the Admin Console edits.

export const HUNT_POLICIES = ['SIMULTANEOUS', 'SEQUENTIAL', 'ROUND_ROBIN', 'LONGEST_IDLE'];

export function newUcUser(world: DemoWorld, person: Person, id = world.rng.opaqueId(), pinned = false): DemoEntity {
  const { rng } = world;
  const state = {
    userId: id,
    customerId: world.customerId,
    loginId: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    primaryEmail: person.email,
    locale: rng.pick(LOCALES),
    status: 'ACTIVE',
    timeZoneId: rng.pick(TIME_ZONES),
    jobTitle: rng.pick(JOB_TITLES),
    department: rng.pick(DEPARTMENTS),
    templateId: rng.pick(USER_TEMPLATE_IDS),
    displayAsContact: true,
  };
  return createEntity({ kind: 'user', key: id, region: null, state, displayName: person.fullName, pinned });
}

function countryOf(e164: string): string {
  if (e164.startsWith('+1416')) return 'CA';
  if (e164.startsWith('+1')) return 'US';
  if (e164.startsWith('+44')) return 'GB';
  return 'AU';
}

export function newPhoneNumber(world: DemoWorld, user: DemoEntity, extensionNumber: string): DemoEntity {
  const e164 = world.phoneNumber();
  const state = {
    phoneNumber: e164,
    countryCode: countryOf(e164),
    numberType: 'DID',
    status: 'ASSIGNED',
    assignedTo: { type: 'user', id: user.key, extensionNumber },
    emergencyAddressId: world.rng.opaqueId(),
    smsEnabled: false,
  };
  return createEntity({ kind: 'phonenumber', key: e164, region: null, state, displayName: formatPhoneNumber(e164) });
}

export function newExtension(world: DemoWorld, user: DemoEntity, extensionNumber: string, e164: string): DemoEntity {
  const state = {
    extensionNumber,
    userId: user.key,
    callerId: { name: user.displayName, number: e164 },
    voicemail: { enabled: true, transcription: world.rng.chance(0.3) },
    forwarding: { noAnswer: { target: 'voicemail', afterRings: world.rng.int(3, 6) }, busy: { target: 'voicemail' } },
    dialPlan: 'Standard',
  };
  const displayName = `${user.displayName} – ext. ${extensionNumber}`;
  return createEntity({ kind: 'extension', key: world.rng.opaqueId(), region: null, state, displayName });
}

/** Extension numbers of a few current users, for group memberships and forwarding targets. */
export function someExtensions(world: DemoWorld, min: number, max: number): string[] {
  const picked = world.uc.extension.pickSome(world.rng, world.rng.int(min, max));
  return picked.map((extension) => String(extension.state.extensionNumber));
}

export function anyExtension(world: DemoWorld): string {
  return String(world.uc.extension.random(world.rng)?.state.extensionNumber ?? '1001');
}

export function newRingGroup(world: DemoWorld, name = world.groupName(RING_GROUP_NAMES), pinned = false): DemoEntity {
  const { rng } = world;
  const state = {
    name,
    extensionNumber: world.groupExtensionNumber(),
    huntPolicy: rng.pick(HUNT_POLICIES),
    members: someExtensions(world, 2, 6),
    ringTimeoutSeconds: rng.pick([15, 20, 25, 30]),
    noAnswer: { destination: 'voicemail', target: anyExtension(world) },
    musicOnHold: 'Default',
  };
  return createEntity({ kind: 'ringgroup', key: rng.opaqueId(), region: null, state, displayName: name, pinned });
}

export function newCallQueue(world: DemoWorld, name = world.groupName(CALL_QUEUE_NAMES), pinned = false): DemoEntity {
  const { rng } = world;
  const state = {
    name,
    extensionNumber: world.groupExtensionNumber(),
    agents: someExtensions(world, 3, 8),
    distribution: rng.pick(['LONGEST_IDLE', 'ROUND_ROBIN', 'SIMULTANEOUS']),
    maxWaitSeconds: rng.pick([120, 300, 600]),
    overflow: { afterSeconds: rng.pick([60, 90, 120]), target: 'voicemail' },
    wrapUpSeconds: rng.pick([0, 15, 30]),
    announcePosition: rng.chance(0.5),
  };
  return createEntity({ kind: 'callqueue', key: rng.opaqueId(), region: null, state, displayName: name, pinned });
}

export function newAutoAttendant(world: DemoWorld, name = world.groupName(AUTO_ATTENDANT_NAMES), pinned = false) {
  const { rng } = world;
  const state = {
    name,
    extensionNumber: world.groupExtensionNumber(),
    language: rng.pick(LOCALES),
    timeZoneId: rng.pick(TIME_ZONES),
    businessHours: { days: 'Mon-Fri', open: '08:00', close: '18:00' },
    menu: { '0': 'operator', '1': `ext:${anyExtension(world)}`, '2': `ext:${anyExtension(world)}` },
    afterHours: { action: 'voicemail', target: anyExtension(world) },
  };
  return createEntity({ kind: 'autoattendant', key: rng.opaqueId(), region: null, state, displayName: name, pinned });
}

export function newForwardingRule(world: DemoWorld): DemoEntity {
  const { rng } = world;
  const owner = world.uc.extension.random(rng);
  const ruleName = rng.pick(FORWARDING_RULE_NAMES);
  const state = {
    ruleName,
    userId: String(owner?.state.userId ?? ''),
    extensionNumber: String(owner?.state.extensionNumber ?? '1001'),
    enabled: true,
    condition: rng.pick(['NO_ANSWER', 'BUSY', 'ALWAYS', 'UNREACHABLE']),
    forwarding: { target: rng.chance(0.5) ? 'mobile' : anyExtension(world), afterRings: rng.int(2, 6) },
    schedule: rng.pick(['Always', 'After hours', 'Weekends']),
  };
  const ownerName = owner?.displayName.split(' – ')[0] ?? 'unassigned';
  const displayName = `${ruleName} – ${ownerName}`;
  return createEntity({ kind: 'callforwardingrule', key: rng.opaqueId(), region: null, state, displayName });
}

export function newOperatorConnect(world: DemoWorld): DemoEntity {
  const { rng } = world;
  const operator = rng.pick(OPERATORS);
  const state = {
    operator,
    teamsTenantId: rng.uuid(),
    usage: 'CallingUserAssignment',
    status: 'PROVISIONING',
    numbersAssigned: rng.int(5, 50),
  };
  const displayName = `Operator Connect – ${operator}`;
  return createEntity({ kind: 'operatorconnect', key: rng.opaqueId(), region: null, state, displayName });
}

/** A user with their own phone number and extension, as the Admin Console's user-creation flow makes them. */
export function newUcUserBundle(world: DemoWorld, person: Person, id?: string, pinned = false) {
  const user = newUcUser(world, person, id, pinned);
  const extensionNumber = world.userExtensionNumber();
  const phoneNumber = newPhoneNumber(world, user, extensionNumber);
  const extension = newExtension(world, user, extensionNumber, phoneNumber.key);
  user.extension = extension;
  user.phoneNumber = phoneNumber;
  return user;
}
