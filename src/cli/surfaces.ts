import type { Express } from 'express';
import { createSlackSurface } from '../../adapters/slack/slack-surface.js';
import { createTeamsSurface } from '../../adapters/teams/surface.js';
import type { AlertNotifier } from '../alerts/notifier.js';
import type { Auditbot } from '../app.js';
import type { Logger } from '../logger.js';

/** A chat platform endpoint on the shared HTTP server. */
export interface ChatSurface {
  name: string;
  mount(app: Express): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Posts alerts on this platform (src/alerts). */
  notifier?: AlertNotifier;
}

/**
 * The composition root's one place that knows which chat platforms exist: each surface decides
 * from the environment whether it is configured (null when not) and fails fast when half-configured.
 */
export function createChatSurfaces(auditbot: Auditbot, env: NodeJS.ProcessEnv, logger: Logger): ChatSurface[] {
  const surfaces: ChatSurface[] = [];
  const slack = createSlackSurface({ auditbot, env, logger });
  if (slack)
    surfaces.push({
      name: `slack (${slack.mode})`,
      mount: (app) => slack.mount(app),
      start: () => slack.start(),
      stop: () => slack.stop(),
      notifier: slack.notifier,
    });
  const teams = createTeamsSurface({ auditbot, env, logger });
  if (teams)
    surfaces.push({
      name: 'teams',
      mount: (app) => teams.mount(app),
      start: () => teams.start(),
      stop: () => teams.stop(),
      notifier: teams.notifier,
    });
  return surfaces;
}
