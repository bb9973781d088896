import { type QuarantinedRecord, type QuarantineSummary, quarantineKey } from '../quarantine.js';
import type { StatementCache } from './statements.js';

const INSERT_SQL =
  'INSERT INTO quarantine (customer_id, key, source, reason, raw, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING';

/** Keeps each record once per tenant, source and raw text; returns how many were new. */
export function writeQuarantine(
  statements: StatementCache,
  transaction: (work: () => number) => number,
  records: readonly QuarantinedRecord[],
): number {
  const insert = statements.plain(INSERT_SQL);
  return transaction(() => {
    let added = 0;
    for (const r of records) {
      added += insert.run(r.customerId, quarantineKey(r), r.source, r.reason, r.raw, r.receivedAt).changes;
    }
    return added;
  });
}

export function readQuarantine(statements: StatementCache, customerId: string, limit: number): QuarantineSummary {
  const count = statements.pluck('SELECT count(*) FROM quarantine WHERE customer_id = ?').get(customerId) as number;
  const rows = statements
    .plain(
      'SELECT customer_id, source, reason, raw, received_at FROM quarantine WHERE customer_id = ? ORDER BY received_at DESC, key LIMIT ?',
    )
    .all(customerId, limit) as {
    customer_id: string;
    source: string;
    reason: string;
    raw: string;
    received_at: number;
  }[];
  return {
    count,
    recent: rows.map((row) => ({
      customerId: row.customer_id,
      source: row.source,
      reason: row.reason,
      raw: row.raw,
      receivedAt: row.received_at,
    })),
  };
}
