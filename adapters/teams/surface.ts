import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import express, { type Express, type Request } from 'express';
import type { AlertNotifier } from '../../src/alerts/notifier.js';
import type { Auditbot } from '../../src/app.js';
import type { Logger } from '../../src/logger.js';
import { createTeamsAlertNotifier } from './alert-notifier.js';
import { loadTeamsConfig, type TeamsConfig } from './config.js';
import type { TeamsDeps } from './deliver.js';
import { createFileUploads } from './file-uploads.js';
import { registerAlertActions } from './listeners/alert-actions.js';
import { registerCardActions } from './listeners/card-actions.js';
import { registerFileConsent } from './listeners/file-consent.js';
import { registerFilterDialog } from './listeners/filter-dialog.js';
import { registerMessages } from './listeners/messages.js';
import { renderNotice } from './render/messages.js';
import { createReportLinks } from './report-links.js';
import { cardMessage } from './send.js';

export interface TeamsSurface {
  mount(app: Express): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Posts alerts proactively to conversations registered with `audit alerts here`. */
  notifier: AlertNotifier;
}

export interface TeamsSurfaceOptions {
  auditbot: Auditbot;
  env?: Record<string, string | undefined>;
  logger: Logger;
  /** Outbound HTTP for OneDrive uploads (tests point it anywhere; defaults to global fetch). */
  fetch?: typeof fetch;
}

const BASE_URL = Symbol('auditbot.baseUrl');

function botFrameworkSettings(config: TeamsConfig) {
  if (!config.appId) return {};
  return {
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword ?? undefined,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.appTenantId ?? undefined,
  };
}

/** Without Bot Framework tokens anybody could post activities; only a local connector is believed. */
function isLoopbackServiceUrl(serviceUrl: unknown): boolean {
  if (typeof serviceUrl !== 'string') return false;
  try {
    const host = new URL(serviceUrl).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  } catch {
    return false;
  }
}

function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * The Teams surface of `auditbot serve`: `/api/messages` (botbuilder CloudAdapter through teams-ai)
 * and `/reports/<token>` downloads. Null when Teams is not configured.
 */
export function createTeamsSurface(options: TeamsSurfaceOptions): TeamsSurface | null {
  const config = loadTeamsConfig(options.env ?? process.env);
  if (!config) return null;
  const logger = options.logger.child({ surface: 'teams' });
  const { auditbot } = options;
  const adapter = new TeamsAdapter(botFrameworkSettings(config));
  const app = new Application({
    adapter,
    ...(config.appId ? { botAppId: config.appId } : {}),
    removeRecipientMention: true,
    // teams-ai keeps one typing timer on the shared Application; replies come fast enough without.
    startTypingTimer: false,
    longRunningMessages: false,
  });
  const links = createReportLinks({ auditbot, minutes: config.reportLinkMinutes, logger });
  const deps: TeamsDeps = {
    auditbot,
    logger,
    links,
    uploads: createFileUploads({ auditbot, logger, ...(options.fetch ? { fetch: options.fetch } : {}) }),
    baseUrl: (context: TurnContext) =>
      config.publicUrl ?? (context.turnState.get(BASE_URL) as string | undefined) ?? 'http://localhost',
  };
  registerCardActions(app, deps);
  registerAlertActions(app, deps);
  registerFilterDialog(app, deps);
  registerFileConsent(app, deps);
  registerMessages(app, deps);

  adapter.onTurnError = async (context, error) => {
    logger.error('turn failed', { error, activityType: context.activity.type, activityId: context.activity.id });
    if (context.activity.type !== 'message') return;
    await context
      .sendActivity(
        cardMessage(
          renderNotice({
            kind: 'notice',
            level: 'error',
            text: 'Something went wrong answering that.',
            hint: 'Try again in a moment; if it persists, tell your auditbot operator.',
          }),
        ),
      )
      .catch((sendError: unknown) => logger.error('could not report the failure', { error: sendError }));
  };

  return {
    notifier: createTeamsAlertNotifier({
      adapter,
      appId: config.appId,
      store: auditbot.store,
      links,
      publicUrl: config.publicUrl,
    }),
    mount(server) {
      server.post('/api/messages', express.json({ limit: '1mb' }), async (req, res, next) => {
        try {
          if (
            config.unauthenticated &&
            !isLoopbackServiceUrl((req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl)
          ) {
            res
              .status(403)
              .json({ error: 'forbidden', message: 'Unauthenticated mode only answers a local Bot Connector.' });
            return;
          }
          const origin = requestOrigin(req);
          await adapter.process(req, res, async (context) => {
            context.turnState.set(BASE_URL, origin);
            await app.run(context);
          });
        } catch (error) {
          next(error);
        }
      });
      links.mount(server);
    },
    async start() {
      if (config.unauthenticated) {
        logger.warn(
          'Teams endpoint runs WITHOUT authentication (AUDITBOT_TEAMS_ALLOW_UNAUTHENTICATED=true, no MICROSOFT_APP_ID): local testing only',
        );
      } else {
        logger.info('Teams endpoint ready', { path: '/api/messages', appType: config.appType });
      }
      if (!config.publicUrl)
        logger.warn('AUDITBOT_PUBLIC_URL is not set: report links use the host the Bot Connector called');
    },
    async stop() {},
  };
}
