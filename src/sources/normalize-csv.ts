import { restoreCell } from './csv-columns.js';
import {
  customerIdOf,
  detailsFromText,
  eventTypeOf,
  finishEvent,
  IMPORT_FIX,
  type Normalized,
  normalizeWith,
  optionalText,
  regionOf,
  requiredText,
  serviceOf,
  timestampOf,
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
      id: optionalText('id', cell('id')),
      customerId: customerIdOf(cell('customerId'), {
        customerId: ctx.customerId,
        owner: 'this import',
        fix: IMPORT_FIX,
      }),
      auditTimestamp: timestampOf(cell('auditTimestamp'), { allowEpochMs: false }),
      eventType: eventTypeOf(cell('eventType')),
      service: serviceOf(cell('service')),
      entityType: requiredText('entityType', cell('entityType')),
      entityKey: optionalText('entityKey', cell('entityKey')) ?? '',
      displayName: optionalText('displayName', cell('displayName')),
      auditUserId: optionalText('auditUserId', cell('auditUserId')),
      impersonator: optionalText('impersonator', cell('impersonator')),
      ...detailsFromText(cell('details'), { keepInvalid: false }),
      correlationType: optionalText('correlationType', cell('correlationType')),
      correlationId: optionalText('correlationId', cell('correlationId')),
      accessMethod: optionalText('accessMethod', cell('accessMethod')),
      region: regionOf(cell('region')),
      source: 'import',
    }),
  );
}
