import { webApi } from '@slack/bolt';
import { AlertDeliveryError, type AlertNotifier } from '../../src/alerts/notifier.js';
import type { AlertDestination } from '../../src/alerts/rules.js';
import { renderAlertDigest, renderAlertMessage } from './render/alert.js';
import type { SlackMessage } from './render/text.js';
import { createReportUploader } from './report-uploader.js';

/** Slack answers these when the channel is wrong for good: retrying cannot help. */
const FINAL = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'account_inactive',
  'msg_too_long',
  'invalid_blocks',
]);

function classify(error: unknown): AlertDeliveryError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string };
    message?: string;
  };
  const message = e.data?.error ?? e.message ?? String(error);
  if (e.code === 'slack_webapi_rate_limited_error')
    return new AlertDeliveryError(message, true, (e.retryAfter ?? 1) * 1000);
  if (e.code === 'slack_webapi_http_error') return new AlertDeliveryError(message, (e.statusCode ?? 500) >= 500);
  if (e.code === 'slack_webapi_platform_error') return new AlertDeliveryError(message, !FINAL.has(e.data?.error ?? ''));
  return new AlertDeliveryError(message, true);
}

function channelOf(destination: AlertDestination): string {
  if (destination.platform !== 'slack') throw new AlertDeliveryError('not a Slack destination', false);
  return destination.channel;
}

/**
 * Alerts posted with chat.postMessage from a WebClient of their own: it rejects a 429 at once
 * instead of sleeping inside the call, so the deliverer honours Retry-After for that channel alone
 * while other destinations keep flowing.
 */
export function createSlackAlertNotifier(options: { token: string; apiUrl?: string }): AlertNotifier {
  const client = new webApi.WebClient(options.token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
  const upload = createReportUploader(client);
  const postMessage = async (channel: string, message: SlackMessage) => {
    try {
      const result = await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
      });
      return { messageId: `${result.channel ?? channel}/${result.ts ?? ''}` };
    } catch (error) {
      throw classify(error);
    }
  };
  return {
    platform: 'slack',
    post: (destination, alert) => postMessage(channelOf(destination), renderAlertMessage(alert)),
    async postDigest(destination, digest) {
      const channel = channelOf(destination);
      const posted = await postMessage(channel, renderAlertDigest(digest));
      // The counts are up; the CSV is what makes the digest complete, so a failed upload retries the digest.
      const uploaded = await upload(digest.csv, channel);
      if (!uploaded.ok) throw classify(uploaded.error);
      return posted;
    },
  };
}
