import type { Principal } from './access/principal.js';
import { createActorDirectory } from './bot/actor-directory.js';
import type { BotDeps, CommandContext } from './bot/context.js';
import { type Bot, createBot } from './bot/router.js';
import { lazySigningKey } from './chain/evidence.js';
import type { AppConfig, TenantConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createUserNameResolver } from './sources/eightx8/users-api.js';
import type { EventStore } from './store/event-store.js';
import { openEventStore } from './store/open-store.js';

/** One running auditbot: store, bot and metrics, shared by the HTTP server, the console and the CLI. */
export interface Auditbot extends BotDeps {
  bot: Bot;
  metrics: Metrics;
  close(): Promise<void>;
}

export async function createAuditbot(
  config: AppConfig,
  options: { logger?: Logger; clock?: () => number; store?: EventStore; metrics?: Metrics } = {},
): Promise<Auditbot> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const store = options.store ?? (await openEventStore(config.databaseUrl));
  const clock = options.clock ?? Date.now;
  const metrics = options.metrics ?? createMetrics();
  const resolveName = createUserNameResolver({ tenants: config.tenants, logger });
  const actors = createActorDirectory(store, { clock, ...(resolveName ? { resolveName } : {}) });
  const deps: BotDeps = { store, config, logger, clock, actors, signingKey: lazySigningKey(config, logger) };
  return { ...deps, metrics, bot: createBot({ ...deps, metrics }), close: () => store.close() };
}

/** A command context outside a chat (CLI verbs that stream results themselves). */
export function commandContext(
  deps: BotDeps,
  principal: Principal,
  tenant: TenantConfig,
  args: string,
): CommandContext {
  return { ...deps, principal, tenant, now: deps.clock(), args, page: undefined };
}
