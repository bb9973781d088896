import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import type { AdaptiveCard } from './render/card.js';

/** Statuses the Bot Connector uses for throttling and transient failure (PLATFORM-FACTS, Teams). */
const RETRYABLE = new Set([412, 429, 502, 504]);

export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryOptions = {
  attempts: 4,
  baseDelayMs: 500,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status =
    (error as { statusCode?: unknown }).statusCode ?? (error as { response?: { status?: unknown } }).response?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Runs a connector call, retrying throttling and gateway errors with exponential backoff and
 * jitter. botbuilder's pipeline retries a 429 only when it carries Retry-After; Teams does not
 * always send one.
 */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const status = statusOf(error);
      if (attempt >= options.attempts || status === undefined || !RETRYABLE.has(status)) throw error;
      const delay = options.baseDelayMs * 2 ** (attempt - 1);
      await options.sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}

export function cardMessage(card: AdaptiveCard, extra: Partial<Activity> = {}): Partial<Activity> {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)], ...extra };
}

export function sendActivity(
  context: TurnContext,
  activity: Partial<Activity>,
  retry?: RetryOptions,
): Promise<ResourceResponse | undefined> {
  return withRetry(() => context.sendActivity(activity), retry);
}

/** Replaces a card the bot posted earlier (paging a results card in place). */
export async function updateActivity(
  context: TurnContext,
  id: string,
  activity: Partial<Activity>,
  retry?: RetryOptions,
): Promise<void> {
  await withRetry(() => context.updateActivity({ ...activity, id }), retry);
}
