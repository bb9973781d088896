import { restoreCell } from './csv-columns.js';
import {
  customerIdOf,
  detailsFromText,
  finishEvent,
  IMPORT_FIX,
  type Normalized,
  normalizeWith,
  regionOf,
  sharedFields,
} from './normalize-fields.js';

/**
 * One row of an Admin Console audit-events CSV report, keyed by canonical column names
 * (see `mapHeader`). Reports carry no event id, so one is derived from the content.
 */
export function normalizeCsvRecord(
  record: Record<string, string>,
  ctx: { customerId: string; line: number },
): Normalized {
  // Undo the writer's formula neutralisation (`'=…` → `=…`) before anything reads a cell.
  const cell = (column: string): string | undefined => {
    const value = record[column];
    return value === undefined ? undefined : restoreCell(value);
  };
  return normalizeWith(() =>
    finishEvent({
      ...sharedFields(cell, { allowEpochMs: false }),
      customerId: customerIdOf(cell('customerId'), {
        customerId: ctx.customerId,
        owner: 'this import',
        fix: IMPORT_FIX,
      }),
      ...detailsFromText(cell('details'), { keepInvalid: false }),
      region: regionOf(cell('region')),
      source: 'import',
    }),
  );
}
