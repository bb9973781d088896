import type { TimeRange } from '../../domain/event-filter.js';
import { splitWindows } from '../../domain/time-range.js';
import { EightX8MalformedReplyError } from './api-errors.js';
import { type AuditPage, readAuditPage } from './audit-reply.js';
import { createJsonGetter, type HttpOptions, type RequestStats } from './http-json.js';

/** The API's limit on one call's time range (PLATFORM-FACTS: at most 31 days apart). */
export const MAX_WINDOW_DAYS = 31;
/** Largest page the API allows; fewer round trips for the same events. */
export const MAX_PAGE_SIZE = 100;

/** Every documented `GET /audits` parameter except the range and paging, which the client drives. */
export interface AuditFilters {
  service: string;
  displayName?: string;
  auditUserId?: string;
  entityTypes?: readonly string[];
  eventTypes?: readonly string[];
  size?: number;
}

export type { AuditPage } from './audit-reply.js';

/** One page of a range walk, with the window it belongs to. */
export interface RangePage extends AuditPage {
  window: TimeRange;
  /** True on the window's last page: everything in `window` has now been seen. */
  windowDone: boolean;
}

export interface AuditRecordsClient {
  readonly stats: RequestStats;
  /** One page; pass the previous page's scrollId to continue. The range must be ≤ 31 days. */
  fetchPage(
    filters: AuditFilters,
    window: TimeRange,
    scrollId: string | null,
    signal?: AbortSignal,
  ): Promise<AuditPage>;
  /** Every page of a range of any length, cut into ≤ 31-day windows, oldest window first. */
  scrollRange(filters: AuditFilters, range: TimeRange, signal?: AbortSignal): AsyncGenerator<RangePage>;
}

const ACCEPT = 'application/json';

function auditsUrl(baseUrl: string, filters: AuditFilters, window: TimeRange, scrollId: string | null): URL {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/audits`);
  const q = url.searchParams;
  q.set('startTime', new Date(window.start).toISOString());
  q.set('endTime', new Date(window.end).toISOString());
  q.set('service', filters.service);
  q.set('size', String(filters.size ?? MAX_PAGE_SIZE));
  if (filters.displayName) q.set('displayName', filters.displayName);
  if (filters.auditUserId) q.set('auditUserId', filters.auditUserId);
  if (filters.entityTypes?.length) q.set('entityTypes', filters.entityTypes.join(','));
  if (filters.eventTypes?.length) q.set('eventTypes', filters.eventTypes.join(','));
  if (scrollId !== null) q.set('scrollId', scrollId);
  return url;
}

/** The 8x8 Audit Records API client (`GET {base}/audits`), on undici with an injected dispatcher. */
export function createAuditRecordsClient(options: HttpOptions & { baseUrl: string }): AuditRecordsClient {
  const http = createJsonGetter(options);
  const maxWindowMs = MAX_WINDOW_DAYS * 86_400_000;

  const fetchPage: AuditRecordsClient['fetchPage'] = async (filters, window, scrollId, signal) => {
    if (window.end - window.start > maxWindowMs) {
      throw new RangeError(`one request covers at most ${MAX_WINDOW_DAYS} days; use scrollRange for longer ranges`);
    }
    const what = `the ${filters.service} audit records from ${new Date(window.start).toISOString()} to ${new Date(window.end).toISOString()}`;
    const read: { page?: AuditPage } = {};
    await http.get(auditsUrl(options.baseUrl, filters, window, scrollId), what, {
      accept: ACCEPT,
      signal,
      checkBody: (body) => {
        const reading = readAuditPage(body);
        if (!reading.ok) return reading.problem;
        read.page = reading.page;
        return null;
      },
    });
    // get only returns an answer its checkBody accepted.
    if (!read.page) throw new Error(`no page was read for ${what}`);
    return read.page;
  };

  /**
   * Pages of one window with one request in flight ahead: the next page downloads while the caller
   * stores this one. An empty page ends the window; a stuck cursor (a scrollId seen before, with
   * items) fails it, since ending there would count unread pages as seen.
   */
  async function* scrollWindow(filters: AuditFilters, window: TimeRange, signal?: AbortSignal) {
    const seen = new Set<string>();
    let pending: Promise<AuditPage> | null = fetchPage(filters, window, null, signal);
    try {
      while (pending) {
        const page: AuditPage = await pending;
        pending = null;
        if (page.scrollId !== null && seen.has(page.scrollId) && page.items.length > 0) {
          // A cursor that comes back would end the walk early and pass over pages never read.
          throw new EightX8MalformedReplyError(
            `the ${filters.service} audit records from ${new Date(window.start).toISOString()} to ${new Date(window.end).toISOString()}`,
            `it handed out scrollId ${JSON.stringify(page.scrollId.slice(0, 40))} a second time`,
            1,
          );
        }
        const done = page.scrollId === null || page.items.length === 0 || seen.has(page.scrollId);
        if (!done && page.scrollId !== null) {
          seen.add(page.scrollId);
          pending = fetchPage(filters, window, page.scrollId, signal);
        }
        yield { ...page, window, windowDone: done };
      }
    } finally {
      // Abandoned early (stop, store error): the prefetch's outcome no longer matters.
      pending?.catch(() => {});
    }
  }

  async function* scrollRange(filters: AuditFilters, range: TimeRange, signal?: AbortSignal) {
    for (const window of splitWindows(range, MAX_WINDOW_DAYS)) yield* scrollWindow(filters, window, signal);
  }

  return { stats: http.stats, fetchPage, scrollRange };
}
