import { type AppConfig, DEFAULT_EIGHTX8_API_URL } from '../../config.js';
import { checkTimePoint } from '../../domain/query-values.js';
import { resolveTimePoint } from '../../domain/time-range.js';
import { isAuditbotError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { startSyncLoops, syncAllOnce, type TargetOutcome } from '../../sources/eightx8/sync-loops.js';
import type { SyncProgress } from '../../sources/eightx8/sync-runner.js';
import { describeTarget, type SyncTarget, syncTargets } from '../../sources/eightx8/sync-state.js';
import { openEventStore } from '../../store/open-store.js';
import { createProgress, type Progress } from '../progress.js';
import { parseVerbArgs, UsageError } from '../usage.js';

const USAGE = 'usage: auditbot sync [--once] [--since <date|duration>]';

/**
 * `sync`: pull from the 8x8 Audit Records API. `--once` runs one pass over every configured stream
 * (the first backfills the retention window) and prints a summary; without it, polls until Ctrl-C.
 */
export async function syncVerb(args: string[], config: AppConfig): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, { once: { type: 'boolean' }, since: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(USAGE);
  const targets = syncTargets(config, DEFAULT_EIGHTX8_API_URL);
  if (targets.length === 0) {
    throw new UsageError(
      'nothing to sync: set EIGHTX8_API_KEY (create a key in the 8x8 Admin Console under API Keys), or give tenants `eightx8` sources in AUDITBOT_CONFIG',
    );
  }
  const since = values.since === undefined ? undefined : parseSince(values.since);
  if (since !== undefined && !values.once)
    throw new UsageError('--since goes with --once (a one-off pass from that point)');
  // A one-off pass prints its own summary; info lines would only tear through the progress bar.
  const logger = createLogger({ level: values.once && config.logLevel === 'info' ? 'warn' : config.logLevel });
  const store = await openEventStore(config.databaseUrl);
  try {
    if (!values.once) return await syncUntilStopped({ store, config, logger, targets });
    const controller = new AbortController();
    const stop = () =>
      controller.abort(new Error('sync interrupted; the next run resumes from the last stored window'));
    process.once('SIGINT', stop);
    const bars = progressBars();
    try {
      const outcomes = await syncAllOnce(
        { store, config, logger },
        { since, signal: controller.signal, onProgress: bars.update },
      );
      bars.done();
      for (const outcome of outcomes) process.stdout.write(`${describeOutcome(outcome)}\n`);
      return outcomes.some((o) => 'error' in o) ? 1 : 0;
    } finally {
      bars.done();
      process.off('SIGINT', stop);
    }
  } finally {
    await store.close();
  }
}

function parseSince(typed: string): number {
  const checked = checkTimePoint('since', typed);
  if (!checked.ok) throw new UsageError(`--since: ${checked.message}`);
  return resolveTimePoint(checked.value, Date.now(), 'start');
}

/** One bar per stream on a TTY (stderr), advancing a step per finished ≤31-day window. */
function progressBars(): { update(p: SyncProgress): void; done(): void } {
  let current: { target: SyncTarget; bar: Progress } | null = null;
  return {
    update(p) {
      if (current?.target !== p.target) {
        current?.bar.done();
        const label = `syncing ${describeTarget(p.target)}`;
        current = { target: p.target, bar: createProgress({ stream: process.stderr, total: p.windows, label }) };
      }
      current.bar.update(p.windowsDone, {
        rows: p.items,
        accepted: p.inserted,
        duplicate: p.duplicate,
        rejected: p.rejected,
      });
    },
    done() {
      current?.bar.done();
      current = null;
    },
  };
}

function describeOutcome(outcome: TargetOutcome): string {
  const name = describeTarget(outcome.target);
  if ('error' in outcome) {
    const { error } = outcome;
    const hint = isAuditbotError(error) && error.hint ? `\n  ${error.hint}` : '';
    return `${name}: failed — ${error.message}${hint}`;
  }
  const s = outcome.summary;
  const n = (value: number) => value.toLocaleString('en-US');
  const refused =
    s.rejected > 0 ? `, ${n(s.rejected)} refused and quarantined (${s.rejections[0]}; \`status\` lists them)` : '';
  return [
    `${name}: ${n(s.windows)} windows, ${n(s.pages)} pages, ${n(s.items)} events — ${n(s.inserted)} new, ${n(s.duplicate)} duplicate${refused}`,
    `  ${n(s.requests)} requests, ${n(s.retries)} retries; complete up to ${s.completeUpTo ?? '— (no full window yet)'}`,
  ].join('\n');
}

async function syncUntilStopped(deps: {
  store: Awaited<ReturnType<typeof openEventStore>>;
  config: AppConfig;
  logger: ReturnType<typeof createLogger>;
  targets: SyncTarget[];
}): Promise<number> {
  const loops = startSyncLoops({ auditbot: { store: deps.store }, config: deps.config, logger: deps.logger });
  process.stderr.write(
    `syncing ${deps.targets.map(describeTarget).join(', ')} every ${deps.config.eightx8Sync.pollSeconds}s — Ctrl-C stops\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await loops.stop();
  return 0;
}
