import type pg from 'pg';
import { chainHash, eventChainHash, GENESIS_HASH } from '../../domain/chain-hash.js';
import { EVENT_COLUMNS, type EventRow, rowToEvent } from '../sqlite/rows.js';

/*
 * Version 10: the tamper-evident chain (src/domain/chain-hash.ts), as on SQLite (sqlite/chain.ts).
 *
 * Order with several instances appending at once: one writer per tenant chain at a time. An append
 * stores its events side by side with other appends as before; then, just before its commit, it
 * locks the heads of the tenants it stored events for (`chain_heads` rows, FOR UPDATE, in tenant
 * order so two calls never wait on each other in a circle), links its stored events after them in
 * the call's order, and commits. The row lock holds the next append of the same tenant until then,
 * so a tenant's positions follow its commits, gap-free, and a link is never written without its
 * event (same transaction). Appends of other tenants do not wait.
 */
export const CHAIN_SCHEMA = `
CREATE TABLE event_chain (
  customer_id text COLLATE "C" NOT NULL,
  pos bigint NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  ts bigint NOT NULL,
  hash text COLLATE "C" NOT NULL,
  pruned boolean NOT NULL DEFAULT false,
  PRIMARY KEY (customer_id, pos)
);
CREATE INDEX event_chain_by_event ON event_chain (customer_id, event_id);
CREATE TABLE chain_heads (
  customer_id text COLLATE "C" PRIMARY KEY,
  pos bigint NOT NULL,
  hash text NOT NULL,
  genesis_pos bigint NOT NULL,
  genesis_hash text NOT NULL,
  genesis_since text NOT NULL,
  genesis_note text NOT NULL,
  pruned_before bigint
);
CREATE TABLE chain_checkpoints (
  customer_id text COLLATE "C" NOT NULL,
  first_pos bigint NOT NULL,
  last_pos bigint NOT NULL,
  head_hash text NOT NULL,
  count bigint NOT NULL,
  time text NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL,
  PRIMARY KEY (customer_id, last_pos)
);
`;

const NEW_HEADS_SQL =
  'INSERT INTO chain_heads (customer_id, pos, hash, genesis_pos, genesis_hash, genesis_since, genesis_note) ' +
  `SELECT t, 0, '${GENESIS_HASH}', 0, '${GENESIS_HASH}', $2, $3 FROM unnest($1::text[]) AS t ON CONFLICT DO NOTHING`;
const LOCK_HEADS_SQL =
  'SELECT customer_id, pos::float8 AS pos, hash FROM chain_heads WHERE customer_id = ANY($1::text[]) ORDER BY customer_id FOR UPDATE';
const WRITE_LINKS_SQL = `
WITH links AS (
  INSERT INTO event_chain (customer_id, pos, event_id, ts, hash)
  SELECT r->>0, (r->>1)::int8, r->>2, (r->>3)::int8, r->>4 FROM jsonb_array_elements($1::jsonb) AS r
)
UPDATE chain_heads h SET pos = (x->>1)::int8, hash = x->>2
FROM jsonb_array_elements($2::jsonb) AS x WHERE h.customer_id = x->>0`;

/** A stored event of the call: its tenant, id, timestamp and canonical form, in call order. */
export interface StoredForChain {
  customerId: string;
  id: string;
  ts: number;
  canonical: string;
}

/** Links a call's stored events after their tenants' heads, inside the call's transaction (see above). */
export async function linkStored(
  client: pg.PoolClient,
  stored: readonly StoredForChain[],
  note: string,
): Promise<void> {
  if (stored.length === 0) return;
  const tenants = [...new Set(stored.map((event) => event.customerId))].sort();
  await client.query(NEW_HEADS_SQL, [tenants, new Date().toISOString(), note]);
  const locked = await client.query<{ customer_id: string; pos: number; hash: string }>(LOCK_HEADS_SQL, [tenants]);
  const heads = new Map(locked.rows.map((row) => [row.customer_id, { pos: row.pos, hash: row.hash }]));
  const links: unknown[][] = [];
  for (const event of stored) {
    const head = heads.get(event.customerId);
    if (!head) throw new Error(`No chain head for tenant ${event.customerId}`);
    head.pos += 1;
    head.hash = chainHash(head.hash, event.canonical);
    links.push([event.customerId, head.pos, event.id, event.ts, head.hash]);
  }
  const moved = [...heads].map(([customerId, head]) => [customerId, head.pos, head.hash]);
  await client.query(WRITE_LINKS_SQL, [JSON.stringify(links), JSON.stringify(moved)]);
}

/** Migration 10's backfill: every stored event, in storage order (batch commit order, then position). */
export async function chainStoredEvents(client: pg.PoolClient): Promise<void> {
  const total = await client.query<{ n: number }>('SELECT count(*)::float8 AS n FROM event_keys');
  const note = `chained by migration at ${new Date().toISOString()} over ${total.rows[0]?.n ?? 0} events stored before the chain existed`;
  const batches = await client.query<{ batch: string }>('SELECT batch FROM append_commits ORDER BY first_seq');
  const columns = EVENT_COLUMNS.split(', ')
    .map((column) => `e.${column}`)
    .join(', ');
  const heads = new Map<string, { pos: number; hash: string }>();
  for (const { batch } of batches.rows) {
    let after = -1;
    for (;;) {
      const page = await client.query<unknown[]>({
        text:
          `SELECT k.idx::float8, ${columns} FROM event_keys k JOIN events e ` +
          'ON e.customer_id = k.customer_id AND e.ts = k.ts AND e.id = k.id ' +
          'WHERE k.batch = $1 AND k.idx > $2 ORDER BY k.idx LIMIT 5000',
        values: [batch, after],
        rowMode: 'array',
      });
      if (page.rows.length === 0) break;
      const links: unknown[][] = [];
      for (const [idx, ...columns] of page.rows) {
        const event = rowToEvent(columns as unknown as EventRow);
        const head = heads.get(event.customerId) ?? { pos: 0, hash: GENESIS_HASH };
        head.pos += 1;
        head.hash = eventChainHash(head.hash, event);
        heads.set(event.customerId, head);
        links.push([event.customerId, head.pos, event.id, columns[2], head.hash]);
        after = idx as number;
      }
      await client.query(
        'INSERT INTO event_chain (customer_id, pos, event_id, ts, hash) ' +
          'SELECT r->>0, (r->>1)::int8, r->>2, (r->>3)::int8, r->>4 FROM jsonb_array_elements($1::jsonb) AS r',
        [JSON.stringify(links)],
      );
    }
  }
  const since = new Date().toISOString();
  for (const [customerId, head] of heads) {
    await client.query(
      'INSERT INTO chain_heads (customer_id, pos, hash, genesis_pos, genesis_hash, genesis_since, genesis_note) VALUES ($1, $2, $3, 0, $4, $5, $6)',
      [customerId, head.pos, head.hash, GENESIS_HASH, since, note],
    );
  }
}
