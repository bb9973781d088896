import { stat } from 'node:fs/promises';
import { sealChains } from '../../chain/checkpoints.js';
import { lazySigningKey } from '../../chain/evidence.js';
import type { AppConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { importFile } from '../../sources/import-file.js';
import { openEventStore } from '../../store/open-store.js';
import { createProgress } from '../progress.js';
import { parseVerbArgs, UsageError } from '../usage.js';

const FORMATS = ['csv', 'ndjson', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** How many rejected lines to list before summarising the rest. */
const SHOWN_REJECTIONS = 50;

/** The exit code of an import that stored every good row but refused some (README, "Importing"). */
export const EXIT_ROWS_REFUSED = 3;

/**
 * `import <file>`: an Admin Console CSV report, NDJSON or JSON; idempotent; a summary at the end.
 * Exit 0 when every row was stored or already there, EXIT_ROWS_REFUSED when some were refused (the
 * good ones are stored), 1 when nothing could be imported (no good row, an unreadable file, or with
 * `--strict` any bad row).
 */
export async function importVerb(args: string[], config: AppConfig): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, { format: { type: 'string' }, strict: { type: 'boolean' } });
  const [path, ...extra] = positionals;
  if (!path || extra.length > 0) {
    throw new UsageError('usage: auditbot import <file> [--format csv|ndjson|json] [--strict]');
  }
  const format = values.format;
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
  }
  const size = (await stat(path).catch(() => null))?.size ?? 0;
  const store = await openEventStore(config.databaseUrl);
  const progress = createProgress({ stream: process.stderr, total: size, label: 'importing' });
  try {
    const summary = await importFile(path, {
      store,
      customerId: config.defaultTenant.customerId,
      format: format as Format | undefined,
      strict: values.strict === true,
      onProgress: (p) => progress.update(p.bytesRead, p),
    });
    progress.done();
    if (summary.accepted > 0)
      await sealChains(store, lazySigningKey(config, createLogger({ level: 'warn' }))(), Date.now());
    const seconds = (summary.durationMs / 1000).toFixed(1);
    process.stdout.write(
      `${path}: ${summary.rows.toLocaleString('en-US')} rows (${summary.format}) in ${seconds}s — ${summary.accepted} accepted, ${summary.duplicate} duplicate, ${summary.rejected.length} rejected\n`,
    );
    for (const r of summary.rejected.slice(0, SHOWN_REJECTIONS))
      process.stdout.write(`  line ${r.line}: ${r.reason}\n`);
    if (summary.rejected.length > SHOWN_REJECTIONS) {
      process.stdout.write(`  … and ${summary.rejected.length - SHOWN_REJECTIONS} more rejected lines\n`);
    }
    if (summary.rejected.length === 0) return 0;
    const refused = `${summary.rejected.length.toLocaleString('en-US')} of ${summary.rows.toLocaleString('en-US')} rows refused (listed above)`;
    if (summary.accepted + summary.duplicate === 0) {
      process.stderr.write(`auditbot import: ${refused}; no row was stored (exit 1)\n`);
      return 1;
    }
    process.stderr.write(`auditbot import: ${refused}; the others are stored (exit ${EXIT_ROWS_REFUSED})\n`);
    return EXIT_ROWS_REFUSED;
  } finally {
    progress.done();
    await store.close();
  }
}
