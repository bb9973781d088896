import { DEMO_COMPANY_DOMAIN, type DemoRegion, FIRST_NAMES, LAST_NAMES } from './demo-catalog.js';
import type { DemoRandom } from './random.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** An entity's configuration as the audit `details` show it. Never mutated: every change makes a new object. */
export type DemoState = { [key: string]: JsonValue };

export const UC_KINDS = [
  'user',
  'extension',
  'phonenumber',
  'ringgroup',
  'callqueue',
  'autoattendant',
  'callforwardingrule',
  'operatorconnect',
] as const;
export type UcKind = (typeof UC_KINDS)[number];

export const CC_KINDS = ['user', 'agentgroup', 'queue', 'channel', 'script', 'crmproperty', 'campaign'] as const;
export type CcKind = (typeof CC_KINDS)[number];

export interface Person {
  firstName: string;
  lastName: string;
  fullName: string;
  email: string;
}

/** One configured thing of the demo tenant, with its current state. */
export interface DemoEntity {
  readonly kind: string;
  readonly key: string;
  readonly region: DemoRegion | null;
  state: DemoState;
  displayName: string;
  /** Admins and showcase entities are never deleted or renamed, so every demo keeps them. */
  readonly pinned: boolean;
  /** A UC user's own extension and phone number, which follow it through creation and deletion. */
  extension?: DemoEntity;
  phoneNumber?: DemoEntity;
  /**
   * CC agents: what their latest event showed of the attributes bulk operations changed since (bulk
   * changes carry no per-agent event, so the next event's state must differ from what was last shown).
   */
  beforeBulk?: DemoState;
  poolIndex: number;
}

/** Live entities of one kind; O(1) add, remove and random pick. */
export class EntityPool {
  private readonly items: DemoEntity[] = [];

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  get full(): boolean {
    return this.items.length >= this.capacity;
  }

  add(entity: DemoEntity): void {
    entity.poolIndex = this.items.length;
    this.items.push(entity);
  }

  remove(entity: DemoEntity): void {
    const index = entity.poolIndex;
    entity.poolIndex = -1;
    const last = this.items.pop();
    if (last === undefined || last === entity) return;
    last.poolIndex = index;
    this.items[index] = last;
  }

  random(rng: DemoRandom): DemoEntity | undefined {
    return this.items.length === 0 ? undefined : rng.pick(this.items);
  }

  /** Up to `count` distinct entities matching `accept`; scans the pool, so for rare scripted moments. */
  sample(rng: DemoRandom, count: number, accept: (entity: DemoEntity) => boolean): DemoEntity[] {
    return rng.sample(this.items.filter(accept), count);
  }

  /** About `count` distinct random entities, without scanning the pool (a few may be lost to repeats). */
  pickSome(rng: DemoRandom, count: number): DemoEntity[] {
    const picked = new Set<DemoEntity>();
    for (let attempt = 0; attempt < count * 2 && picked.size < count && this.items.length > 0; attempt++) {
      picked.add(rng.pick(this.items));
    }
    return [...picked];
  }
}

const emailParts = new Map<string, string>();

/** Removes diacritics and anything not allowed in the local part of a demo e-mail address (names repeat: cached). */
function emailPart(name: string): string {
  let part = emailParts.get(name);
  if (part === undefined) {
    part = name
      .normalize('NFD')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase();
    emailParts.set(name, part);
  }
  return part;
}

function personName(firstName: string, middle: string, lastName: string): string {
  return middle === '' ? `${firstName} ${lastName}` : `${firstName} ${middle} ${lastName}`;
}

/** Everything the generator knows about the demo tenant while it writes the event history. */
export class DemoWorld {
  readonly uc: Record<UcKind, EntityPool>;
  readonly cc: Record<CcKind, Record<DemoRegion, EntityPool>>;
  private readonly liveNames = new Set<string>();
  private readonly groupNameUses = new Map<string, number>();
  private nextUserExtension = 1001;
  private nextGroupExtension = 2001;
  private nextPhoneNumber = 0;

  constructor(
    readonly rng: DemoRandom,
    readonly customerId: string,
    /** Grows tenant size with the number of events, so a million-event history is not 200 people. */
    readonly scale: number,
  ) {
    const ucCap = (base: number) => Math.round(base * scale);
    this.uc = {
      user: new EntityPool(ucCap(150)),
      extension: new EntityPool(Number.POSITIVE_INFINITY),
      phonenumber: new EntityPool(Number.POSITIVE_INFINITY),
      ringgroup: new EntityPool(ucCap(20)),
      callqueue: new EntityPool(ucCap(12)),
      autoattendant: new EntityPool(ucCap(6)),
      callforwardingrule: new EntityPool(ucCap(40)),
      operatorconnect: new EntityPool(ucCap(4)),
    };
    const ccCaps: Record<CcKind, number> = {
      user: 40,
      agentgroup: 8,
      queue: 10,
      channel: 8,
      script: 8,
      crmproperty: 6,
      campaign: 5,
    };
    const perRegion = (cap: number): Record<DemoRegion, EntityPool> => ({
      'uk-eu': new EntityPool(Math.round(cap * scale)),
      us: new EntityPool(Math.round(cap * scale)),
      ca: new EntityPool(Math.round(cap * scale)),
      apac: new EntityPool(Math.round(cap * scale)),
    });
    this.cc = {
      user: perRegion(ccCaps.user),
      agentgroup: perRegion(ccCaps.agentgroup),
      queue: perRegion(ccCaps.queue),
      channel: perRegion(ccCaps.channel),
      script: perRegion(ccCaps.script),
      crmproperty: perRegion(ccCaps.crmproperty),
      campaign: perRegion(ccCaps.campaign),
    };
  }

  /** A person whose full name no live user or agent has, so names stay unambiguous in `who:` searches. */
  newPerson(preferred?: { firstName: string; lastName: string }): Person {
    const { rng } = this;
    let firstName = preferred?.firstName ?? rng.pick(FIRST_NAMES);
    let lastName = preferred?.lastName ?? rng.pick(LAST_NAMES);
    let middle = '';
    // Big tenants exhaust first × last name pairs; a middle initial ("Maria K. Rossi") keeps names unique.
    for (let attempt = 0; this.liveNames.has(personName(firstName, middle, lastName)); attempt++) {
      firstName = rng.pick(FIRST_NAMES);
      lastName = rng.pick(LAST_NAMES);
      middle = attempt < 2 ? '' : `${String.fromCharCode(65 + rng.int(0, 25))}.${attempt > 30 ? attempt : ''}`;
    }
    const fullName = personName(firstName, middle, lastName);
    this.liveNames.add(fullName);
    const local =
      middle === ''
        ? `${emailPart(firstName)}.${emailPart(lastName)}`
        : `${emailPart(firstName)}.${emailPart(middle)}.${emailPart(lastName)}`;
    return { firstName, lastName, fullName, email: `${local}@${DEMO_COMPANY_DOMAIN}` };
  }

  /** A name from the catalogue, numbered once the plain one is taken ("Billing 2"). */
  groupName(names: readonly string[]): string {
    const base = this.rng.pick(names);
    const uses = (this.groupNameUses.get(base) ?? 0) + 1;
    this.groupNameUses.set(base, uses);
    return uses === 1 ? base : `${base} ${uses}`;
  }

  releaseName(fullName: string): void {
    this.liveNames.delete(fullName);
  }

  userExtensionNumber(): string {
    return String(this.nextUserExtension++);
  }

  groupExtensionNumber(): string {
    return String(this.nextGroupExtension++);
  }

  /** E.164 numbers from a few fictional ranges; unique until the counter wraps far beyond live numbers. */
  phoneNumber(): string {
    const n = this.nextPhoneNumber++;
    const ranges = ['+1415555', '+1212555', '+44207946', '+1416555', '+6128555'];
    const range = ranges[Math.floor(n / 10_000) % ranges.length] ?? '+1415555';
    return `${range}${String(n % 10_000).padStart(4, '0')}`;
  }
}

/** A new entity record, not yet in any pool. */
export function createEntity(fields: Omit<DemoEntity, 'poolIndex' | 'pinned'> & { pinned?: boolean }): DemoEntity {
  return { pinned: false, ...fields, poolIndex: -1 };
}

/** Renders an E.164 number the way the Admin Console shows it. */
export function formatPhoneNumber(e164: string): string {
  if (e164.startsWith('+1')) return `+1 ${e164.slice(2, 5)} ${e164.slice(5, 8)} ${e164.slice(8)}`;
  if (e164.startsWith('+44')) return `+44 ${e164.slice(3, 5)} ${e164.slice(5, 9)} ${e164.slice(9)}`;
  return `${e164.slice(0, 3)} ${e164.slice(3, 4)} ${e164.slice(4, 8)} ${e164.slice(8)}`;
}

export function asStrings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function asNumber(value: JsonValue | undefined, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
