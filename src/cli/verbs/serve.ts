import { runConsole } from '../../../adapters/console/console.js';
import { startAlerts } from '../../alerts/start-alerts.js';
import { createAuditbot } from '../../app.js';
import { lazySigningKey } from '../../chain/evidence.js';
import { startSealing } from '../../chain/sealer.js';
import type { AppConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createHttpApp, listen } from '../../server/http-server.js';
import { startSyncLoops } from '../../sources/eightx8/sync-loops.js';
import { loadDemoEvents } from '../demo-loader.js';
import { createChatSurfaces } from '../surfaces.js';
import { consoleUserName, parseVerbArgs } from '../usage.js';

/** `serve` and `start`: HTTP until SIGINT/SIGTERM; `start` also seeds an empty store and opens the console. */
export async function serveVerb(
  args: string[],
  config: AppConfig,
  mode: { withConsole: boolean; demoWhenEmpty: boolean },
): Promise<number> {
  parseVerbArgs(args, {}, false);
  // With the console on the terminal, log lines would tear through the prompt: keep warnings only.
  const logger = createLogger({ level: mode.withConsole && config.logLevel === 'info' ? 'warn' : config.logLevel });
  // Loaded (or generated, with a warning naming the file) now: a bad AUDITBOT_SIGNING_KEY stops start-up.
  const signingKey = lazySigningKey(config, logger);
  signingKey();
  const auditbot = await createAuditbot(config, { logger });
  let greeting = 'auditbot console — type `help`, or a query such as `op:delete when:7d`.';
  if (mode.demoWhenEmpty) {
    // One indexed row, not stats(): counting a million events would delay start-up by seconds.
    const customerId = config.defaultTenant.customerId;
    const firstEvent = await auditbot.store.search(
      { customerId, range: { start: 0, end: Number.MAX_SAFE_INTEGER } },
      { limit: 1 },
    );
    if (firstEvent.events.length === 0) {
      const loaded = await loadDemoEvents(auditbot.store, config.defaultTenant.customerId, { now: Date.now() });
      greeting = loaded.hint;
    }
  }
  const surfaces = createChatSurfaces(auditbot, process.env, logger);
  // Start (verify tokens, connect Socket Mode) before listening: a bad token stops start-up.
  for (const surface of surfaces) await surface.start();
  const mounts = surfaces.map((s) => s.mount);
  const app = createHttpApp({ config, store: auditbot.store, logger, metrics: auditbot.metrics, mounts });
  // Alerts are ready (rules and match cursor placed) before the server listens, so the first
  // ingested event is already watched for, whichever instance it reaches.
  const notifiers = surfaces.flatMap((s) => (s.notifier ? [s.notifier] : []));
  const alerts = startAlerts({ auditbot, notifiers, logger });
  try {
    await alerts.ready;
  } catch (error) {
    await alerts.stop().catch(() => undefined);
    for (const surface of surfaces) await surface.stop();
    await auditbot.close();
    throw error;
  }
  const server = await listen(app, config.port);
  const sync = startSyncLoops({ auditbot, config, logger });
  const sealer = startSealing({ store: auditbot.store, key: signingKey, logger });
  const platforms = surfaces.map((s) => s.name).join(', ') || 'none configured (console and HTTP only)';
  logger.info('auditbot listening', { port: server.port, store: auditbot.store.kind, platforms });
  if (!mode.withConsole) {
    process.stderr.write(
      `auditbot serving on http://localhost:${server.port} (store: ${auditbot.store.kind}; chat: ${platforms})\n`,
    );
  }

  const shutdown = async () => {
    await sync.stop();
    await sealer.stop();
    await alerts.stop();
    await server.close();
    for (const surface of surfaces) await surface.stop();
    await auditbot.close();
  };
  if (mode.withConsole) {
    await runConsole({
      bot: auditbot.bot,
      input: process.stdin,
      output: process.stdout,
      principal: { platform: 'console', id: consoleUserName(process.env) },
      interactive: true,
      greeting: `${greeting}\nHTTP on http://localhost:${server.port} — \`exit\` stops both.`,
    });
    await shutdown();
    return 0;
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  logger.info('shutting down');
  await shutdown();
  return 0;
}
