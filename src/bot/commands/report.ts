import { join } from 'node:path';
import type { Reply } from '../../replies/reply.js';
import { writeReport } from '../../reports/csv-report.js';
import { writeReportProofs } from '../../reports/report-proof.js';
import type { CommandContext } from '../context.js';
import { isNotice, resolveInput } from '../query-input.js';
import { recordAccess } from '../record-access.js';

/** `audit-report-20261126-021500` — sortable, no characters any file system dislikes. */
function reportBaseName(now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `audit-report-${stamp}`;
}

/** Directory for one tenant's reports; the customer id is made safe for a path segment. */
export function tenantReportDirectory(root: string, customerId: string): string {
  return join(root, customerId.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** `report <query>`: every match as CSV, streamed to files of at most 50,000 rows each. */
export async function reportCommand(ctx: CommandContext): Promise<Reply> {
  const input = await resolveInput(ctx, ctx.args);
  if (isNotice(input)) return input;
  const written = await writeReport(ctx.store.stream(input.filter), {
    directory: tenantReportDirectory(ctx.config.reportDirectory, ctx.tenant.customerId),
    baseName: reportBaseName(ctx.now),
  });
  const parts = await writeReportProofs(ctx.store, ctx.signingKey(), ctx.tenant.customerId, written, ctx.now);
  const totalRows = parts.reduce((sum, part) => sum + part.rows, 0);
  await recordAccess(ctx, {
    eventType: 'export',
    entityType: 'report',
    entityKey: input.canonical,
    displayName: `report: ${input.canonical || '(everything)'}`,
    details: { query: input.canonical, rows: totalRows, files: parts.map((p) => p.name) },
  });
  return {
    kind: 'file',
    title: `Audit report — ${totalRows.toLocaleString('en-US')} events`,
    query: input.canonical,
    window: { start: new Date(input.window.start).toISOString(), end: new Date(input.window.end).toISOString() },
    totalRows,
    parts,
  };
}
