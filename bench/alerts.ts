/**
 * `npm run bench:alerts [-- --burst 10000 --singles 20 --database-url postgres://…]`: alert latency
 * (event stored → message at the local fake Slack Web API) and a burst of matching deletes delivered
 * in full (digests with CSV), on the real pipeline: store (a SQLite file, or the PostgreSQL database
 * given, in a fresh schema that is dropped afterwards), matcher, outbox, deliverer, Slack notifier over HTTP.
 */
import { parseArgs } from 'node:util';
import { startAlerts } from '../src/alerts/start-alerts.js';
import { createLogger } from '../src/logger.js';
import { startSlackHarness, until } from '../test/adapters/slack/harness.js';
import { NOW, platformEvent } from '../test/helpers/auditbot.js';
import { dropSchemas } from '../test/helpers/postgres.js';
import { fmt, percentile, thousands } from './stats.js';

const { values } = parseArgs({
  options: {
    burst: { type: 'string', default: '10000' },
    singles: { type: 'string', default: '20' },
    'database-url': { type: 'string' },
  },
});
const databaseUrl = values['database-url'];
const schema = `auditbot_bench_alerts_${process.pid}`;
if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
  throw new Error('--database-url must be a postgres:// URL (SQLite is the default)');
const BURST = Number(values.burst);
const SINGLES = Number(values.singles);
const out = (line = '') => process.stdout.write(`${line}\n`);

const harness = await startSlackHarness({
  botEnv: {
    AUDITBOT_ALERT_SLACK_CHANNEL: 'CSEC',
    ...(databaseUrl ? { DATABASE_URL: `${databaseUrl}${databaseUrl.includes('?') ? '&' : '?'}schema=${schema}` } : {}),
  },
});
const alerts = startAlerts({
  auditbot: harness.auditbot,
  notifiers: [harness.surface.notifier],
  logger: createLogger({ level: 'silent' }),
});
await alerts.flush();
const posts = () => harness.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CSEC');
out(
  `alerts benchmark — ${harness.auditbot.store.kind} store, ${SINGLES} single deletes, then a burst of ${thousands(BURST)}`,
);

// 1. Latency: one delete at a time, spaced past the per-channel pacing so none is digested.
const latencies: number[] = [];
for (let i = 0; i < SINGLES; i++) {
  const before = posts().length;
  const stored = Date.now();
  await harness.auditbot.store.append([
    platformEvent({ id: `single-${i}`, eventType: 'delete', entityKey: `single-${i}` }),
  ]);
  const post = await until(() => posts()[before], 30_000);
  latencies.push((post.at ?? Date.now()) - stored);
  await new Promise((r) => setTimeout(r, 1200));
}
out(
  `stored → posted   p50 ${fmt(percentile(latencies, 50), 0)} ms   p99 ${fmt(percentile(latencies, 99), 0)} ms   (${SINGLES} alerts)`,
);

// 2. Burst: every event must arrive, as a single post or as a row of a digest's CSV.
const postsBefore = posts().length;
const uploadsBefore = harness.slack.uploads.length;
const delivered = () => {
  // Distinct burst events named in the digests' CSV files (a digest may repeat on retry).
  const keys = new Set<string>();
  for (const upload of harness.slack.uploads.slice(uploadsBefore)) {
    for (const match of upload.bytes.toString('utf8').matchAll(/burst-\d+/g)) keys.add(match[0]);
  }
  const csvRows = keys.size;
  const digests = posts()
    .slice(postsBefore)
    .filter((c) => JSON.stringify(c.args).includes('alerts')).length;
  return { csvRows, singles: posts().length - postsBefore - digests, messages: posts().length - postsBefore };
};
const start = Date.now();
for (let i = 0; i < BURST; i += 1000) {
  const batch = Array.from({ length: Math.min(1000, BURST - i) }, (_, j) =>
    platformEvent({
      id: `burst-${i + j}`,
      entityKey: `burst-${i + j}`,
      eventType: 'delete',
      auditTimestamp: new Date(NOW - 1000 - i - j).toISOString(),
    }),
  );
  await harness.auditbot.store.append(batch);
}
await until(() => {
  const d = delivered();
  return d.csvRows + d.singles >= BURST ? d : undefined;
}, 120_000);
const done = delivered();
out(
  `burst of ${thousands(BURST)}: all delivered in ${fmt((Date.now() - start) / 1000, 1)} s — ${done.messages} message(s), ${thousands(done.csvRows)} distinct events in digest CSVs`,
);
await alerts.stop();
await harness.close();
if (databaseUrl) await dropSchemas([schema], databaseUrl.split('?')[0]);
