/**
 * The Admin Console audit-events CSV report, as auditbot reads and writes it: canonical column
 * names, tolerant header matching, and the formula neutralisation a report writer applies (and an
 * import undoes, so report → import round-trips).
 */

/** Report columns in the order auditbot writes them (the Admin Console report's order). */
export const CSV_COLUMNS = [
  'displayName',
  'customerId',
  'auditTimestamp',
  'eventType',
  'service',
  'entityKey',
  'entityType',
  'auditUserId',
  'impersonator',
  'details',
  'correlationType',
  'correlationId',
  'accessMethod',
  'region',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number] | 'id';

/** Without these a row cannot become an event; a file lacking one is refused before anything is stored. */
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ['auditTimestamp', 'eventType', 'entityType', 'entityKey'];

/** Lower-case, without BOM, spaces, underscores, hyphens or dots: `Audit_Timestamp` → `audittimestamp`. */
function headerKey(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_.-]+/g, '');
}

const KNOWN_HEADERS = new Map<string, CsvColumn>([
  ...[...CSV_COLUMNS, 'id' as const].map((column): [string, CsvColumn] => [headerKey(column), column]),
  // Spelled so in 8x8's own help page for the report; real files may follow it.
  ['cusytomerid', 'customerId'],
]);

/** The canonical column a header cell names, or null for a column auditbot does not use. */
export function canonicalColumn(header: string): CsvColumn | null {
  return KNOWN_HEADERS.get(headerKey(header)) ?? null;
}

export interface HeaderMapping {
  /** Canonical column per position; null where the column is ignored. */
  columns: (CsvColumn | null)[];
  /** Required columns the header lacks (empty when the file is usable). */
  missing: CsvColumn[];
}

/** Maps a header row to canonical columns. When two headers mean the same column, the first wins. */
export function mapHeader(headers: readonly string[]): HeaderMapping {
  const seen = new Set<CsvColumn>();
  const columns = headers.map((header) => {
    const column = canonicalColumn(header);
    if (column === null || seen.has(column)) return null;
    seen.add(column);
    return column;
  });
  return { columns, missing: REQUIRED_CSV_COLUMNS.filter((column) => !seen.has(column)) };
}

/** One data row as a record keyed by canonical column (ignored columns dropped). */
export function recordFromCells(mapping: HeaderMapping, cells: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  mapping.columns.forEach((column, i) => {
    if (column !== null) record[column] = cells[i] ?? '';
  });
  return record;
}

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection). The writer
 * prefixes such cells with `'`; a cell that already starts with `'`s before one gets one more, so
 * removing exactly one `'` on import restores every value.
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_LIKE.test(value) ? `'${value}` : value;
}

export function restoreCell(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}
