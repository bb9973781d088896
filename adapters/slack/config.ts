import { z } from 'zod';
import { ConfigError } from '../../src/errors.js';

/** What the Slack surface needs from the environment; secrets are never logged. */
export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** App-level `xapp-` token: Socket Mode instead of HTTP when set. */
  appToken: string | null;
  /** Web API base URL with a trailing slash (proxies, tests). */
  apiUrl: string;
  /** Count Slack workspace admins/owners (users.info) as auditbot admins. */
  workspaceAdmins: boolean;
}

const SLACK_API_URL = 'https://slack.com/api/';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A variable the Slack surface cannot do without: unset says where the value is found. */
const required = (whereToFind: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `not set — ${whereToFind}` : 'expected text') }).trim();

const BOT_TOKEN_HINT = 'copy the Bot User OAuth Token (xoxb-…) from your Slack app’s OAuth & Permissions page';
const SIGNING_SECRET_HINT = 'copy it from your Slack app’s Basic Information → App Credentials → Signing Secret';

const SlackEnvSchema = z.object({
  SLACK_BOT_TOKEN: required(BOT_TOKEN_HINT).regex(
    /^xoxb-\S+$/,
    `expected a bot token starting with xoxb- (${BOT_TOKEN_HINT})`,
  ),
  SLACK_SIGNING_SECRET: required(SIGNING_SECRET_HINT).min(1, `empty — ${SIGNING_SECRET_HINT}`),
  SLACK_APP_TOKEN: z
    .string()
    .trim()
    .regex(/^xapp-\S+$/, 'expected an app-level token starting with xapp- (or leave it unset for HTTP mode)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SLACK_API_URL: z.url('expected the Web API base URL, e.g. https://slack.com/api/').default(SLACK_API_URL),
  AUDITBOT_SLACK_WORKSPACE_ADMINS: flag,
});

type Env = Record<string, string | undefined>;

/** True when the operator meant to run Slack at all (any SLACK_ credential present). */
export function slackConfigured(env: Env): boolean {
  return Boolean(env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN);
}

/**
 * Reads the Slack variables once, failing fast with a sentence naming the variable. The signing
 * secret is required in Socket Mode too: it costs nothing and keeps one code path.
 */
export function loadSlackConfig(env: Env = process.env): SlackConfig {
  const parsed = SlackEnvSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${String(issue.path[0] ?? 'environment')}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(`Slack is partly configured — ${detail}`);
  }
  const e = parsed.data;
  return {
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN ?? null,
    apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
    workspaceAdmins: e.AUDITBOT_SLACK_WORKSPACE_ADMINS,
  };
}
