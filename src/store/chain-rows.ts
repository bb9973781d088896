import type { ChainHead, Checkpoint } from './event-chain.js';

/** A `chain_heads` row as both stores read it (numbers already numbers). */
export interface HeadRow {
  pos: number;
  hash: string;
  genesis_pos: number;
  genesis_hash: string;
  genesis_since: string;
  genesis_note: string;
  pruned_before: number | null;
}

export function headOfRow(customerId: string, row: HeadRow): ChainHead {
  return {
    customerId,
    position: row.pos,
    hash: row.hash,
    genesis: { position: row.genesis_pos, hash: row.genesis_hash, since: row.genesis_since, note: row.genesis_note },
    prunedBefore: row.pruned_before,
  };
}

/** A `chain_checkpoints` row as both stores read it. */
export interface CheckpointRow {
  customer_id: string;
  first_pos: number;
  last_pos: number;
  head_hash: string;
  count: number;
  time: string;
  key_id: string;
  signature: string;
}

export function checkpointOfRow(row: CheckpointRow): Checkpoint {
  return {
    customerId: row.customer_id,
    firstPosition: row.first_pos,
    lastPosition: row.last_pos,
    headHash: row.head_hash,
    count: row.count,
    time: row.time,
    keyId: row.key_id,
    signature: row.signature,
  };
}

/** The values of a checkpoint in INSERT column order (customer_id … signature). */
export function checkpointValues(cp: Checkpoint): unknown[] {
  return [cp.customerId, cp.firstPosition, cp.lastPosition, cp.headHash, cp.count, cp.time, cp.keyId, cp.signature];
}
