import { App, type Logger as BoltLogger, ExpressReceiver, LogLevel, type webApi } from '@slack/bolt';
import type { Express, NextFunction, Request, Response } from 'express';
import type { AlertNotifier } from '../../src/alerts/notifier.js';
import type { Auditbot } from '../../src/app.js';
import type { Logger } from '../../src/logger.js';
import { createSlackAlertNotifier } from './alert-notifier.js';
import { loadSlackConfig, type SlackConfig, slackConfigured } from './config.js';
import { registerAlertActions } from './listeners/alert-actions.js';
import { registerAuditCommand } from './listeners/audit-command.js';
import { registerBlockActions } from './listeners/block-actions.js';
import type { SlackDeps } from './listeners/context.js';
import { registerFilterModal } from './listeners/filter-modal.js';
import { createWorkspaceAdminCheck } from './workspace-admins.js';

/** Slash commands, interactivity and options all arrive here (manifest request URLs). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackSurface {
  mode: 'http' | 'socket';
  /** HTTP mode: adds POST /slack/events to our server (Socket Mode: nothing to mount). */
  mount(app: Express): void;
  /** Verifies the bot token (auth.test) and, in Socket Mode, connects. Call before serving. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Posts alerts to Slack channels (src/alerts' notifier port). */
  notifier: AlertNotifier;
}

export interface SlackSurfaceOptions {
  auditbot: Pick<Auditbot, 'bot' | 'clock'>;
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Web API retry policy; tests make it short. */
  retryConfig?: webApi.RetryOptions;
}

/** Bolt logs through ours, so its lines carry our bindings and our redaction. */
function boltLogger(logger: Logger): BoltLogger {
  const text = (msg: unknown[]) =>
    msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => logger.debug(text(msg)),
    info: (...msg: unknown[]) => logger.info(text(msg)),
    warn: (...msg: unknown[]) => logger.warn(text(msg)),
    error: (...msg: unknown[]) => logger.error(text(msg)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function createBoltApp(config: SlackConfig, logger: BoltLogger, retryConfig: webApi.RetryOptions | undefined) {
  const clientOptions = { slackApiUrl: config.apiUrl, ...(retryConfig ? { retryConfig } : {}) };
  // Deferred: auth.test runs in start(), where a bad token can stop start-up with a clear error.
  const common = { token: config.botToken, logger, clientOptions, deferInitialization: true } as const;
  if (config.appToken) {
    return { app: new App({ ...common, appToken: config.appToken, socketMode: true }), receiver: null };
  }
  const receiver = new ExpressReceiver({ signingSecret: config.signingSecret, endpoints: SLACK_EVENTS_PATH, logger });
  return { app: new App({ ...common, receiver }), receiver };
}

/**
 * The Slack surface on the real Bolt stack: HTTP on our own server and port (ExpressReceiver's
 * router, Bolt's signature check) or Socket Mode when SLACK_APP_TOKEN is set. Null when no SLACK_
 * variable is set; a partial configuration throws a ConfigError naming the variable.
 */
export function createSlackSurface(options: SlackSurfaceOptions): SlackSurface | null {
  if (!slackConfigured(options.env)) return null;
  const config = loadSlackConfig(options.env);
  const logger = options.logger.child({ platform: 'slack' });
  const { app, receiver } = createBoltApp(config, boltLogger(logger), options.retryConfig);
  const deps: SlackDeps = {
    bot: options.auditbot.bot,
    logger,
    clock: options.auditbot.clock,
    workspaceAdmin: createWorkspaceAdminCheck({ enabled: config.workspaceAdmins, logger }),
  };
  registerAuditCommand(app, deps);
  registerBlockActions(app, deps);
  registerFilterModal(app, deps);
  registerAlertActions(app, deps);
  app.error(async (error) => {
    logger.error('bolt listener error', { error });
  });

  let started = false;
  return {
    mode: receiver ? 'http' : 'socket',
    notifier: createSlackAlertNotifier({ token: config.botToken, apiUrl: config.apiUrl }),
    mount(server) {
      if (!receiver) return;
      // Until auth.test has run Bolt cannot authorize a request: say "not yet" rather than fail.
      server.use(SLACK_EVENTS_PATH, (_req: Request, res: Response, next: NextFunction) => {
        if (started) return next();
        res.status(503).json({ error: 'starting', message: 'auditbot is starting; Slack will retry.' });
      });
      server.use(receiver.router);
    },
    async start() {
      await app.init();
      if (!receiver) await app.start();
      started = true;
      logger.info('slack surface started', {
        mode: receiver ? 'http' : 'socket',
        path: receiver ? SLACK_EVENTS_PATH : undefined,
      });
    },
    async stop() {
      started = false;
      if (!receiver) await app.stop();
    },
  };
}
