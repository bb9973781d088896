import type { EventDetailReply, EventSummary, FileReply } from '../replies/reply.js';
import type { AlertDestination } from './rules.js';

/** One alert: the event as `show` would answer it (attributes redacted), and the rule that fired. */
export interface AlertMessage {
  rule: { id: string; query: string };
  detail: EventDetailReply;
}

export interface CountLine {
  label: string;
  count: number;
}

/** Many alerts for one destination at once: counts, the first lines, and every event in a CSV. */
export interface AlertDigest {
  customerId: string;
  rules: { id: string; query: string }[];
  total: number;
  byOperation: CountLine[];
  byActor: CountLine[];
  byEntityType: CountLine[];
  /** The oldest few, as event-list lines. */
  firstLines: EventSummary[];
  /** The complete list (never cut), as CSV parts on disk. */
  csv: FileReply;
}

/**
 * What alerting needs from a chat platform (implemented in adapters/slack and adapters/teams, so
 * nothing under src/ imports a platform SDK). A post resolves with the platform's message id.
 */
export interface AlertNotifier {
  readonly platform: AlertDestination['platform'];
  post(destination: AlertDestination, alert: AlertMessage): Promise<{ messageId: string }>;
  postDigest(destination: AlertDestination, digest: AlertDigest): Promise<{ messageId: string }>;
}

/**
 * A failed post, as the adapter classified it: `retryable` for throttling (429, with the platform's
 * Retry-After when it sent one) and server errors; anything else is final (channel not found…).
 */
export class AlertDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'AlertDeliveryError';
  }
}
