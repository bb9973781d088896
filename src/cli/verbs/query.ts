import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { renderText } from '../../../adapters/console/render.js';
import { COLOR, PLAIN } from '../../../adapters/console/render-changes.js';
import { commandContext, createAuditbot } from '../../app.js';
import { isNotice, resolveInput } from '../../bot/query-input.js';
import { recordAccess } from '../../bot/record-access.js';
import type { AppConfig } from '../../config.js';
import type { AuditEvent } from '../../domain/audit-event.js';
import { createLogger } from '../../logger.js';
import { reportCsvChunks } from '../../reports/csv-report.js';
import { consoleUserName, parseVerbArgs, UsageError } from '../usage.js';

async function* jsonLines(events: AsyncIterable<AuditEvent>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const event of events) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(event)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

/** `query "<q>" [--json|--csv]`: the first page as text, or every match as JSON / CSV on stdout. */
export async function queryVerb(args: string[], config: AppConfig): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, { json: { type: 'boolean' }, csv: { type: 'boolean' } });
  if (values.json && values.csv) throw new UsageError('choose one of --json and --csv');
  const text = positionals.join(' ');
  const auditbot = await createAuditbot(config, { logger: createLogger({ level: 'warn' }) });
  const principal = { platform: 'console' as const, id: consoleUserName(process.env) };
  try {
    if (!values.json && !values.csv) {
      const reply = await auditbot.bot.handle({ principal, workspace: { platform: 'console' }, text });
      process.stdout.write(`${renderText(reply, process.stdout.isTTY ? COLOR : PLAIN)}\n`);
      return reply.kind === 'notice' && reply.level === 'error' ? 1 : 0;
    }
    const ctx = commandContext(auditbot, principal, config.defaultTenant, text);
    const input = await resolveInput(ctx, text);
    if (isNotice(input)) {
      process.stderr.write(`${input.text}\n${input.hint ?? ''}\n`);
      return 1;
    }
    const events = auditbot.store.stream(input.filter);
    if (values.json) {
      await pipeline(Readable.from(jsonLines(events)), process.stdout, { end: false });
    } else {
      await pipeline(Readable.from(reportCsvChunks(events)), process.stdout, { end: false });
    }
    await recordAccess(ctx, {
      eventType: 'export',
      entityType: 'query',
      entityKey: input.canonical,
      displayName: `query export: ${input.canonical || '(everything)'}`,
      details: { query: input.canonical, format: values.json ? 'json' : 'csv' },
    });
    return 0;
  } finally {
    await auditbot.close();
  }
}
