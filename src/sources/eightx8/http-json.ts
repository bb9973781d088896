import { type Dispatcher, request } from 'undici';
import { EightX8MalformedReplyError, EightX8UnavailableError, rejectionError } from './api-errors.js';
import { createRateLimiter, type RateLimiter, realSleep, type Sleep } from './rate-limiter.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy, serverRequestedDelay } from './retry-policy.js';

/** Running totals a sync summary reports. */
export interface RequestStats {
  requests: number;
  retries: number;
}

export interface RetryNotice {
  attempt: number;
  delayMs: number;
  reason: string;
}

/** Transport for every 8x8 call: injected dispatcher, rate limit, timeout, retries. */
export interface HttpOptions {
  apiKey: string;
  dispatcher?: Dispatcher;
  limiter?: RateLimiter;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: Sleep;
  random?: () => number;
  clock?: () => number;
  onRetry?: (notice: RetryNotice) => void;
}

export interface JsonResponse {
  status: number;
  json: unknown;
}

/** A failure worth another attempt, with the wait the server asked for (if it said). */
class Retryable extends Error {
  constructor(
    readonly reason: string,
    readonly serverDelayMs: number | null = null,
    /** What the body's shape was wrong about, when the server answered but not as the contract says. */
    readonly contractProblem: string | null = null,
  ) {
    super(reason);
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;

export interface GetOptions {
  accept: string;
  signal?: AbortSignal;
  passStatuses?: number[];
  /**
   * Checks a 2xx body against the API contract: null when it holds, else what is wrong. A reply that
   * breaks the contract is retried like a 5xx (a proxy or a deploy in progress), then reported.
   */
  checkBody?: (json: unknown) => string | null;
}

export interface JsonGetter {
  stats: RequestStats;
  /** GET with `x-api-key`; 2xx and `passStatuses` answer, other 4xx throw clear errors, the rest retry. */
  get(url: URL, what: string, options: GetOptions): Promise<JsonResponse>;
}

export function createJsonGetter(options: HttpOptions): JsonGetter {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const limiter = options.limiter ?? createRateLimiter({ perMinute: 0 });
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const clock = options.clock ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const stats: RequestStats = { requests: 0, retries: 0 };

  /** The raw answer within the timeout (headers and body), or a Retryable; the caller's abort passes through. */
  const fetchText = async (url: URL, accept: string, signal?: AbortSignal) => {
    // One controller per attempt, unhooked afterwards: a long-lived loop signal must not collect listeners.
    const local = new AbortController();
    const onAbort = () => local.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      local.abort(new Error('timeout'));
    }, timeoutMs);
    try {
      const response = await request(url, {
        method: 'GET',
        dispatcher: options.dispatcher,
        headers: { 'x-api-key': options.apiKey, accept },
        signal: local.signal,
      });
      return { response, text: await response.body.text() };
    } catch (error) {
      signal?.throwIfAborted();
      if (timedOut) throw new Retryable(`no answer within ${timeoutMs} ms`);
      throw new Retryable(`network error: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };

  const attempt = async (url: URL, what: string, get: GetOptions) => {
    const { accept, signal, passStatuses: pass = [] } = get;
    await limiter.acquire(signal);
    stats.requests += 1;
    const { response, text } = await fetchText(url, accept, signal);
    const status = response.statusCode;
    if (status === 429 || status >= 500) {
      throw new Retryable(`HTTP ${status}`, serverRequestedDelay(response.headers, clock()));
    }
    if (status >= 300 && !pass.includes(status)) throw rejectionError(status, text, what);
    let json: unknown;
    try {
      json = text === '' ? null : (JSON.parse(text) as unknown);
    } catch {
      throw new Retryable(`HTTP ${status} with a body that is not JSON`, null, 'the body is not JSON');
    }
    const problem = status < 300 ? (get.checkBody?.(json) ?? null) : null;
    if (problem !== null) throw new Retryable(`HTTP ${status} with ${problem}`, null, problem);
    return { status, json };
  };

  return {
    stats,
    async get(url, what, getOptions) {
      for (let n = 1; ; n += 1) {
        try {
          return await attempt(url, what, getOptions);
        } catch (error) {
          if (!(error instanceof Retryable)) throw error;
          if (n >= policy.maxAttempts && error.contractProblem !== null) {
            throw new EightX8MalformedReplyError(what, error.contractProblem, n);
          }
          if (n >= policy.maxAttempts) {
            throw new EightX8UnavailableError(
              `The 8x8 API did not answer ${what} after ${n} attempts (last: ${error.reason})`,
              n,
              error,
            );
          }
          const backoff = backoffDelay(n, policy, random);
          const delayMs =
            error.serverDelayMs === null ? backoff : Math.min(policy.maxServerDelayMs, error.serverDelayMs);
          stats.retries += 1;
          options.onRetry?.({ attempt: n, delayMs, reason: error.reason });
          await sleep(delayMs, getOptions.signal);
        }
      }
    },
  };
}
