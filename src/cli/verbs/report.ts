import { basename, dirname, extname, resolve } from 'node:path';
import { commandContext, createAuditbot } from '../../app.js';
import { isNotice, resolveInput } from '../../bot/query-input.js';
import { recordAccess } from '../../bot/record-access.js';
import { lazySigningKey } from '../../chain/evidence.js';
import type { AppConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { writeReport } from '../../reports/csv-report.js';
import { writeReportProofs } from '../../reports/report-proof.js';
import { consoleUserName, parseVerbArgs, UsageError } from '../usage.js';

/** `report "<q>" -o <file>`: every match as CSV; more than 50,000 rows → `<file>-part-N-of-M.csv`. */
export async function reportVerb(args: string[], config: AppConfig): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, { output: { type: 'string', short: 'o' } });
  if (!values.output) throw new UsageError('missing -o <file>: where to write the CSV report');
  const text = positionals.join(' ');
  const target = resolve(values.output);
  const auditbot = await createAuditbot(config, { logger: createLogger({ level: 'warn' }) });
  try {
    const ctx = commandContext(
      auditbot,
      { platform: 'console', id: consoleUserName(process.env) },
      config.defaultTenant,
      text,
    );
    const input = await resolveInput(ctx, text);
    if (isNotice(input)) {
      process.stderr.write(`${input.text}\n${input.hint ?? ''}\n`);
      return 1;
    }
    const written = await writeReport(auditbot.store.stream(input.filter), {
      directory: dirname(target),
      baseName: basename(target, extname(target) || undefined),
    });
    const parts = await writeReportProofs(
      auditbot.store,
      lazySigningKey(config, createLogger({ level: 'warn' }))(),
      config.defaultTenant.customerId,
      written,
      Date.now(),
    );
    const rows = parts.reduce((sum, p) => sum + p.rows, 0);
    await recordAccess(ctx, {
      eventType: 'export',
      entityType: 'report',
      entityKey: input.canonical,
      displayName: `report: ${input.canonical || '(everything)'}`,
      details: { query: input.canonical, rows, files: parts.map((p) => p.name) },
    });
    for (const part of parts) {
      process.stdout.write(`${part.path}\t${part.rows} rows${part.proof ? `\t${part.proof.path}` : ''}\n`);
    }
    process.stderr.write(
      `${rows.toLocaleString('en-US')} events in ${parts.length} file${parts.length === 1 ? '' : 's'}\n`,
    );
    return 0;
  } finally {
    await auditbot.close();
  }
}
