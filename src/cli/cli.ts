import { loadConfig } from '../config.js';
import { isAuditbotError } from '../errors.js';
import { UsageError } from './usage.js';

export const USAGE = `auditbot — configuration audit trails in Slack and Microsoft Teams

Usage:
  auditbot serve                       HTTP server (PORT): /healthz, /metrics, /v1/events, Slack and Teams endpoints
  auditbot console                     chat-like console on this machine (one reply per line when piped)
  auditbot query "<query>" [--json|--csv]   search; --json/--csv print every match
  auditbot report "<query>" -o <file>  CSV report (50,000 rows per file; larger results become numbered parts)
  auditbot import <file> [--format csv|ndjson|json] [--strict]   Admin Console CSV report, NDJSON or JSON; exit 3 when rows were refused
  auditbot sync [--once] [--since <date|duration>]   pull from the 8x8 Audit Records API
  auditbot demo [--count N] [--seed N]  load deterministic demo events
  auditbot migrate                     apply database migrations for DATABASE_URL (SQLite or PostgreSQL), print the schema version
  auditbot verify [--tenant ID] [--since TIME] [--checkpoints FILE --public-key FILE]   recompute the tamper-evident chain; exit 1 naming the first broken position
  auditbot verify-report <report.csv> [--public-key FILE]   check a report against its .sha256.json proof, offline
  auditbot checkpoints export [--since TIME] [--tenant ID] [--seal]   signed checkpoints as JSON lines with the public key
  auditbot start                       what \`npm start\` runs: serve, load demo data into an empty store, console on a TTY

Configuration comes from the environment (see README): DATABASE_URL, PORT, AUDITBOT_CUSTOMER_ID, …
Type \`auditbot console\` then \`help\` for the query language.`;

/**
 * Each verb's module is loaded only when that verb runs: `verify` or `import` never load the Slack
 * and Teams SDKs (seconds of start-up), `serve` does.
 */
const VERBS: Record<string, (args: string[], env: NodeJS.ProcessEnv) => Promise<number>> = {
  serve: async (args, env) =>
    (await import('./verbs/serve.js')).serveVerb(args, loadConfig(env), { withConsole: false, demoWhenEmpty: false }),
  start: async (args, env) =>
    (await import('./verbs/serve.js')).serveVerb(args, loadConfig(env), {
      withConsole: process.stdin.isTTY === true,
      demoWhenEmpty: true,
    }),
  console: async (args, env) => (await import('./verbs/console.js')).consoleVerb(args, loadConfig(env)),
  query: async (args, env) => (await import('./verbs/query.js')).queryVerb(args, loadConfig(env)),
  report: async (args, env) => (await import('./verbs/report.js')).reportVerb(args, loadConfig(env)),
  import: async (args, env) => (await import('./verbs/import.js')).importVerb(args, loadConfig(env)),
  sync: async (args, env) => (await import('./verbs/sync.js')).syncVerb(args, loadConfig(env)),
  demo: async (args, env) => (await import('./verbs/demo.js')).demoVerb(args, loadConfig(env)),
  migrate: async (args, env) => (await import('./verbs/migrate.js')).migrateVerb(args, loadConfig(env)),
  verify: async (args, env) => (await import('./verbs/verify.js')).verifyVerb(args, loadConfig(env)),
  checkpoints: async (args, env) => (await import('./verbs/checkpoints.js')).checkpointsVerb(args, loadConfig(env)),
  'verify-report': async (args, env) =>
    (await import('./verbs/verify-report.js')).verifyReportVerb(args, loadConfig(env)),
};

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [verb, ...args] = argv;
  if (!verb || verb === 'help' || verb === '--help' || verb === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return verb ? 0 : 2;
  }
  const run = VERBS[verb];
  if (!run) {
    process.stderr.write(
      `auditbot: unknown command "${verb}". Commands: ${Object.keys(VERBS).join(', ')}. Try \`auditbot help\`.\n`,
    );
    return 2;
  }
  try {
    return await run(args, env);
  } catch (error) {
    process.stderr.write(`${describeFailure(verb, error, env)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

/**
 * The CLI's one error boundary: every failure is a sentence (and a hint when there is one), never
 * a stack trace — unless AUDITBOT_LOG_LEVEL=debug asks for it.
 */
export function describeFailure(verb: string, error: unknown, env: NodeJS.ProcessEnv): string {
  if (error instanceof UsageError) return `auditbot ${verb}: ${error.message}`;
  if (isAuditbotError(error)) return `auditbot ${verb}: ${error.message}${error.hint ? `\n${error.hint}` : ''}`;
  const message = error instanceof Error ? error.message : String(error);
  const stack = env.AUDITBOT_LOG_LEVEL === 'debug' && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return `auditbot ${verb}: unexpected error: ${message}${stack}\nRun again with AUDITBOT_LOG_LEVEL=debug for the stack, and report it if it persists.`;
}
