/**
 * Seeded randomness for demo data. mulberry32 is tiny, fast and well distributed for this purpose;
 * the same seed gives the same sequence on every machine, which makes demos and benchmarks repeatable.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** FNV-1a, to turn a text (a customer id) into a seed component. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Items with relative weights, prepared once so each draw is a short scan. */
export interface WeightTable<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;
}

export function weightTable<T>(entries: ReadonlyArray<readonly [T, number]>): WeightTable<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of entries) {
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  return { items, cumulative, total };
}

// Opaque ids in the API look like `HTbnKjGVQfK7X05JVOj_IF`: 22 characters of the base64url alphabet.
const OPAQUE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const UUID_VARIANTS = ['8', '9', 'a', 'b'];
const TWO_POW_32 = 0x1_0000_0000;

const HEX_DIGITS = '0123456789abcdef';
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Eight hex digits of a uint32; table lookups, several times faster than toString(16) + padStart. */
export function hex8(value: number): string {
  return (
    (HEX_BYTES[value >>> 24] as string) +
    HEX_BYTES[(value >>> 16) & 255] +
    HEX_BYTES[(value >>> 8) & 255] +
    HEX_BYTES[value & 255]
  );
}

export class DemoRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32 inlined (the same sequence as `mulberry32(seed)`): the hottest function of the generator. */
  uint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** One of `items` other than `current` (lists given here always hold at least two values). */
  pickOther<T>(items: readonly T[], current: unknown): T {
    for (let attempt = 0; attempt < 8; attempt++) {
      const item = this.pick(items);
      if (item !== current) return item;
    }
    return items.find((item) => item !== current) ?? this.pick(items);
  }

  weighted<T>(table: WeightTable<T>): T {
    const target = this.float() * table.total;
    const { cumulative, items } = table;
    for (let i = 0; i < cumulative.length; i++) {
      if (target < (cumulative[i] ?? 0)) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Up to `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const take = Math.min(count, copy.length);
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(this.float() * (copy.length - i));
      const swap = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = swap;
    }
    return copy.slice(0, take);
  }

  /** A 22-character opaque id, like the platform's user and entity ids. */
  opaqueId(): string {
    let id = '';
    let bits = 0;
    for (let i = 0; i < 22; i++) {
      if (i % 5 === 0) bits = this.uint32();
      id += OPAQUE_ALPHABET[bits & 63];
      bits >>>= 6;
    }
    return id;
  }

  /** A random version-4 UUID. */
  uuid(): string {
    return this.uuidWithTail(hex8(this.uint32()));
  }

  /** UUID-shaped text whose last 8 of 12 hex digits are given (lets callers guarantee uniqueness). */
  uuidWithTail(tail8: string): string {
    const a = this.uint32();
    const b = this.uint32();
    const c = this.uint32();
    // Version 4 and RFC 4122 variant nibbles, by table lookups: this runs once per generated event.
    return (
      `${hex8(a)}-${HEX_BYTES[b >>> 24]}${HEX_BYTES[(b >>> 16) & 255]}-4${HEX_DIGITS[(b >>> 8) & 15]}` +
      `${HEX_BYTES[b & 255]}-${UUID_VARIANTS[c >>> 30]}${HEX_DIGITS[(c >>> 24) & 15]}${HEX_BYTES[(c >>> 16) & 255]}-` +
      `${HEX_BYTES[(c >>> 8) & 255]}${HEX_BYTES[c & 255]}${tail8}`
    );
  }
}
