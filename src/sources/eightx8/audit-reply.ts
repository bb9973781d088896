import { z } from 'zod';

/*
 * The `GET /audits` answer as the contract gives it (ScrollIdBasedAuditItems in
 * ../shared/reference/8x8-audit-records-openapi.json): `{meta:{totalRecordCount, scrollId}, data:[…]}`.
 * A reply of any other shape is not "an empty page": reading it as one once advanced the watermark
 * past a whole window nobody had seen. Items stay unknown here: each is validated on its own
 * (normalizeApiItem), so one bad record is quarantined without refusing the records beside it.
 */
const AuditPageReply = z.object({
  meta: z.object({
    totalRecordCount: z.number().int().nonnegative().optional(),
    // null (or absent) on the last page.
    scrollId: z.string().nullable().optional(),
  }),
  data: z.array(z.unknown()),
});

export interface AuditPage {
  /** Raw `data[]` items, unvalidated: normalizeApiItem decides what an event is. */
  items: unknown[];
  scrollId: string | null;
}

export type PageReading = { ok: true; page: AuditPage } | { ok: false; problem: string };

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The value at an issue's path, read from the reply itself (zod does not keep inputs in issues). */
function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let value = json;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** What is wrong with a reply, in a few words naming the field (`data` is missing, `meta.scrollId` is a number). */
function describeIssue(issue: z.core.$ZodIssue, json: unknown): string {
  if (issue.path.length === 0) return `the body is ${kindOf(json)}, not an object`;
  const path = issue.path.map(String).join('.');
  const value = valueAt(json, issue.path);
  if (value === undefined) return `\`${path}\` is missing`;
  return `\`${path}\` is ${kindOf(value)} (${issue.message})`;
}

/** A page of the reply, or what makes it unreadable (the first problem, for one sentence). */
export function readAuditPage(json: unknown): PageReading {
  const parsed = AuditPageReply.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, problem: first ? describeIssue(first, json) : 'the body does not follow the API contract' };
  }
  const scrollId = parsed.data.meta.scrollId;
  return { ok: true, page: { items: parsed.data.data, scrollId: scrollId ? scrollId : null } };
}
