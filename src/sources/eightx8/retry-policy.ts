/** How often and how long the client retries 429, 5xx, timeouts and network errors. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest server-requested wait honoured (Retry-After); longer ones are cut to this. */
  maxServerDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxServerDelayMs: 10 * 60_000,
};

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so loops that failed
 * together do not retry together, yet each still waits a little.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

type HeaderValue = string | string[] | undefined;

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The wait a 429/503 asks for, in ms: `Retry-After` (seconds or an HTTP date), else
 * `x-ratelimit-reset` (epoch seconds, or seconds from now when small). Null when neither says.
 */
export function serverRequestedDelay(headers: Record<string, HeaderValue>, now: number): number | null {
  const retryAfter = first(headers['retry-after'])?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const reset = first(headers['x-ratelimit-reset'])?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const value = Number(reset);
    // Below ~2001 in epoch seconds it can only be a delta.
    return value > 1_000_000_000 ? Math.max(0, Math.ceil(value * 1000 - now)) : Math.ceil(value * 1000);
  }
  return null;
}
