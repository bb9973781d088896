import type pg from 'pg';

/** After a prune, as on SQLite (sqlite/chain.ts pruneChain), in one transaction. */
export async function pruneChain(client: pg.PoolClient, olderThan: number, customerId?: string): Promise<void> {
  const tenant = customerId === undefined ? '' : ' AND customer_id = $2';
  const params = customerId === undefined ? [olderThan] : [olderThan, customerId];
  // The heads first, in tenant order as appends lock them, so a prune and an append never wait in a circle.
  await client.query(
    `SELECT 1 FROM chain_heads WHERE true${customerId === undefined ? '' : ' AND customer_id = $1'} ORDER BY customer_id FOR UPDATE`,
    customerId === undefined ? [] : [customerId],
  );
  await client.query(
    `UPDATE event_chain c SET pruned = true WHERE NOT pruned AND ts < $1${tenant} AND NOT EXISTS ` +
      '(SELECT 1 FROM event_keys k WHERE k.customer_id = c.customer_id AND k.id = c.event_id)',
    params,
  );
  await client.query(
    `UPDATE chain_heads SET pruned_before = greatest(coalesce(pruned_before, 0), $1) WHERE true${tenant}`,
    params,
  );
  const heads = await client.query<{ customer_id: string; pos: number; genesis_pos: number }>(
    `SELECT customer_id, pos::float8 AS pos, genesis_pos::float8 AS genesis_pos FROM chain_heads WHERE true${tenant.replace('$2', '$1')}`,
    customerId === undefined ? [] : [customerId],
  );
  const now = new Date().toISOString();
  for (const head of heads.rows) {
    const kept = await client.query<{ pos: number }>(
      'SELECT pos::float8 AS pos FROM event_chain WHERE customer_id = $1 AND pos > $2 AND NOT pruned ORDER BY pos LIMIT 1',
      [head.customer_id, head.genesis_pos],
    );
    const last = (kept.rows[0]?.pos ?? head.pos + 1) - 1;
    if (last <= head.genesis_pos) continue;
    const at = await client.query<{ hash: string }>(
      'SELECT hash FROM event_chain WHERE customer_id = $1 AND pos = $2',
      [head.customer_id, last],
    );
    await client.query('DELETE FROM event_chain WHERE customer_id = $1 AND pos <= $2', [head.customer_id, last]);
    await client.query(
      'UPDATE chain_heads SET genesis_pos = $2, genesis_hash = $3, genesis_since = $4, genesis_note = $5 WHERE customer_id = $1',
      [
        head.customer_id,
        last,
        at.rows[0]?.hash,
        now,
        `retention removed positions up to ${last} (events before ${new Date(olderThan).toISOString()}) at ${now}`,
      ],
    );
  }
}
