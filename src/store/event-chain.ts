import type { AuditEvent } from '../domain/audit-event.js';

/**
 * Where a tenant's chain starts (src/domain/chain-hash.ts): position 0 with GENESIS_HASH for a chain
 * that began with its first event; after retention pruned a stretch, the last pruned position and
 * its hash. `note` says how it came to be, for `verify`'s answer.
 */
export interface ChainGenesis {
  position: number;
  hash: string;
  /** ISO time the chain began (or the genesis last moved). */
  since: string;
  note: string;
}

export interface ChainHead {
  customerId: string;
  /** The newest position (0 when no event was chained yet) and its hash. */
  position: number;
  hash: string;
  genesis: ChainGenesis;
  /** Events before this instant (epoch ms) were removed by retention; their links stay, marked pruned. */
  prunedBefore: number | null;
}

/** One position of a chain and the stored event it names (null when no such event is stored). */
export interface ChainLink {
  position: number;
  eventId: string;
  /** The event's timestamp when it was chained (epoch ms). */
  ts: number;
  hash: string;
  /** Retention removed the event: the link keeps the chain whole. */
  pruned: boolean;
  event: AuditEvent | null;
  /** Why the stored row could not be read back as an event (a field changed to something invalid). */
  unreadable?: string;
}

/** A signed statement of a stretch of a chain (src/chain/checkpoints.ts). */
export interface Checkpoint {
  customerId: string;
  firstPosition: number;
  lastPosition: number;
  headHash: string;
  count: number;
  /** ISO instant it was made. */
  time: string;
  /** Which key signed it: the first 16 hex characters of SHA-256 of the public key (SPKI DER). */
  keyId: string;
  /** Ed25519 signature of checkpointPayload(…), base64. */
  signature: string;
}

/** The store's half of tamper evidence: links are written by append, in the same transaction. */
export interface EventChain {
  /** Tenants with a chain. */
  tenants(): Promise<string[]>;
  head(customerId: string): Promise<ChainHead | null>;
  /** Links after `afterPosition`, in position order, each with its stored event. */
  links(customerId: string, afterPosition: number, limit: number): Promise<ChainLink[]>;
  /** The link at a position, without its event. */
  linkAt(customerId: string, position: number): Promise<Omit<ChainLink, 'event'> | null>;
  /** The link naming an event (for the detail view and report proofs). */
  linkOf(customerId: string, eventId: string): Promise<Omit<ChainLink, 'event'> | null>;
  /** The links naming these events (report proofs); an id without a link is left out. */
  linksOf(customerId: string, eventIds: readonly string[]): Promise<Map<string, Omit<ChainLink, 'event'>>>;
  /** How many events of the tenant are stored (chained or not). */
  storedEvents(customerId: string): Promise<number>;
  /** Stored events of the tenant that no link names (rows written behind auditbot's back), up to `limit`. */
  unchained(customerId: string, limit: number): Promise<AuditEvent[]>;
  checkpoints(customerId: string, options?: { since?: number }): Promise<Checkpoint[]>;
  lastCheckpoint(customerId: string): Promise<Checkpoint | null>;
  /** Stores a checkpoint; false when one ending at the same position exists (another instance made it). */
  saveCheckpoint(checkpoint: Checkpoint): Promise<boolean>;
}
