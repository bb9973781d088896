import { createHmac } from 'node:crypto';
import { createSlackSurface, SLACK_EVENTS_PATH, type SlackSurface } from '../../../adapters/slack/slack-surface.js';
import { createLogger } from '../../../src/logger.js';
import { createHttpApp, listen, type RunningServer } from '../../../src/server/http-server.js';
import { type FakeResponseUrls, startFakeResponseUrls } from '../../fakes/slack-response-url.js';
import { type FakeSlackWebApi, startFakeSlackWebApi } from '../../fakes/slack-web-api.js';
import { startTestAuditbot, type TestAuditbot } from '../../helpers/auditbot.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export interface SlackHarness {
  auditbot: TestAuditbot;
  slack: FakeSlackWebApi;
  responses: FakeResponseUrls;
  surface: SlackSurface;
  server: RunningServer;
  /** POSTs a body to /slack/events with a valid (or deliberately wrong) signature. */
  post(body: string, contentType: string, options?: { secret?: string; timestamp?: number }): Promise<Response>;
  command(text: string, options?: { user?: string; responseName?: string; channel?: string }): Promise<Response>;
  action(payload: Record<string, unknown>): Promise<Response>;
  close(): Promise<void>;
}

/** POSTs to a /slack/events URL signed as Slack signs (v0 HMAC over timestamp and body). */
export function signedSlackPost(
  url: string,
  body: string,
  contentType: string,
  signing: { secret?: string; timestamp?: number } = {},
): Promise<Response> {
  const timestamp = signing.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', signing.secret ?? SIGNING_SECRET)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex')}`;
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body,
  });
}

export async function startSlackHarness(
  options: { botEnv?: Record<string, string>; slackEnv?: Record<string, string> } = {},
): Promise<SlackHarness> {
  const slack = await startFakeSlackWebApi();
  const responses = await startFakeResponseUrls();
  const auditbot = await startTestAuditbot(options.botEnv);
  const surface = createSlackSurface({
    auditbot,
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ...options.slackEnv,
    },
    logger: createLogger({ level: 'silent' }),
    retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
  });
  if (!surface) throw new Error('slack surface not configured');
  await surface.start();
  const app = createHttpApp({
    config: auditbot.config,
    store: auditbot.store,
    logger: auditbot.logger,
    metrics: auditbot.metrics,
    mounts: [surface.mount],
  });
  const server = await listen(app, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${server.port}${SLACK_EVENTS_PATH}`;
  let triggers = 0;

  const post: SlackHarness['post'] = (body, contentType, signing = {}) =>
    signedSlackPost(url, body, contentType, signing);

  return {
    auditbot,
    slack,
    responses,
    surface,
    server,
    post,
    command(text, o = {}) {
      triggers += 1;
      const form = new URLSearchParams({
        token: 'legacy-verification-token',
        team_id: 'T1',
        team_domain: 'acme',
        channel_id: o.channel ?? 'C1',
        channel_name: 'it-admins',
        user_id: o.user ?? 'UADMIN',
        user_name: (o.user ?? 'UADMIN').toLowerCase(),
        command: '/audit',
        text,
        api_app_id: 'A1',
        response_url: responses.url(o.responseName ?? 'command'),
        trigger_id: `trigger-${triggers}`,
      });
      return post(form.toString(), 'application/x-www-form-urlencoded');
    },
    action(payload) {
      return post(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
      );
    },
    async close() {
      await server.close();
      await surface.stop();
      await slack.close();
      await responses.close();
      await auditbot.dispose();
    },
  };
}

/** Polls until `probe` returns a value (not undefined/false), or fails after `ms`. */
export async function until<T>(probe: () => T | undefined | false, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for Slack traffic');
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

type Json = Record<string, unknown>;

/** Every button in a message body (response_url JSON or a recorded Web API call). */
export function buttons(message: Json): { action_id: string; value?: string; url?: string; text: { text: string } }[] {
  const blocks = (message.blocks ?? []) as Json[];
  return blocks
    .flatMap((b) => (b.type === 'actions' ? (b.elements as Json[]) : []))
    .filter((e) => e.type === 'button') as never;
}

/** A block_actions payload for clicking `button` in a message with the given visibility. */
export function clickPayload(
  button: { action_id: string; value?: string },
  options: { user?: string; responseName: string; ephemeral?: boolean; responses: FakeResponseUrls },
): Json {
  return {
    type: 'block_actions',
    team: { id: 'T1', domain: 'acme' },
    user: { id: options.user ?? 'UADMIN', username: (options.user ?? 'UADMIN').toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: '1700000000.000100',
      channel_id: 'C1',
      is_ephemeral: options.ephemeral ?? true,
    },
    trigger_id: `trigger-click-${Math.random().toString(36).slice(2)}`,
    channel: { id: 'C1', name: 'it-admins' },
    response_url: options.responses.url(options.responseName),
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: 'b',
        value: button.value,
        action_ts: '1700000001.000000',
      },
    ],
  };
}
