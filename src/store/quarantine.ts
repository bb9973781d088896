import { createHash } from 'node:crypto';

/**
 * A record a source delivered that did not pass validation: kept with its reason instead of being
 * dropped, so an operator can count and read what was refused (`status`). The same raw text from the
 * same source is kept once, however often an overlapping sync window fetches it again.
 */
export interface QuarantinedRecord {
  customerId: string;
  /** Where it came from: `eightx8:<service>[:<region>]`, `import`, `ingest`. */
  source: string;
  reason: string;
  /** The record as received (JSON text), cut to MAX_RAW_CHARS. */
  raw: string;
  /** Epoch ms. */
  receivedAt: number;
}

export interface QuarantineSummary {
  count: number;
  /** Newest first, at most the limit asked for. */
  recent: QuarantinedRecord[];
}

/** A 1 MB field is evidence enough; the full text of a hostile record need not be kept. */
export const MAX_RAW_CHARS = 64 * 1024;

/** The identity of a quarantined record: tenant, source and raw text. */
export function quarantineKey(record: Pick<QuarantinedRecord, 'customerId' | 'source' | 'raw'>): string {
  return createHash('sha256')
    .update(JSON.stringify([record.customerId, record.source, record.raw]))
    .digest('hex');
}

/** The raw text to keep for anything a source handed over. */
export function rawText(item: unknown): string {
  let text: string;
  try {
    text = typeof item === 'string' ? item : (JSON.stringify(item) ?? String(item));
  } catch {
    text = String(item);
  }
  return text.length > MAX_RAW_CHARS ? text.slice(0, MAX_RAW_CHARS) : text;
}
