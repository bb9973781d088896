/**
 * The query model behind `/audit`, the filter modal, alert rules and the CLI (ARCHITECTURE §4).
 * Produced by `parseQuery`, turned back into canonical text by `formatQuery`.
 */

/** List-valued qualifiers: comma = OR inside one, a leading `-` excludes. */
export const LIST_FIELDS = ['who', 'op', 'entity', 'app', 'region', 'key', 'via', 'corr'] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export const WHEN_PRESETS = ['today', '24h', '7d', '30d', '90d'] as const;
export type WhenPreset = (typeof WHEN_PRESETS)[number];

/** Values of `op:`; `read` also matches the API's `view`. */
export const OPERATIONS = ['create', 'update', 'delete', 'bulk', 'read', 'view', 'export'] as const;

/** Values of `app:` and the `service` each stands for (`auditbot`: auditbot's own access log). */
export const APPLICATIONS = { platform: 'platform', cc: 'vccss', auditbot: 'auditbot' } as const;
export type Application = keyof typeof APPLICATIONS;

export interface ValueFilter {
  /** Any of these (OR). Empty = no constraint. */
  include: string[];
  /** None of these. */
  exclude: string[];
}

/** A point in time as the user wrote it: an ISO date/instant, or a duration back from now. */
export type TimePoint = { kind: 'instant'; iso: string } | { kind: 'ago'; amount: number; unit: 'm' | 'h' | 'd' | 'w' };

export interface AuditQuery {
  filters: Partial<Record<ListField, ValueFilter>>;
  impersonated?: boolean;
  when?: WhenPreset;
  since?: TimePoint;
  until?: TimePoint;
  /** Free-text terms: bare words and quoted phrases, all must match (AND). */
  text: string[];
}

export const EMPTY_QUERY: AuditQuery = { filters: {}, text: [] };

export interface QueryError {
  /** 0-based offset of the offending token in the input text. */
  position: number;
  length: number;
  message: string;
  /** A corrected form to try, when one is obvious (`who:` for `usr:`). */
  suggestion?: string;
}

export type ParseResult = { ok: true; query: AuditQuery } | { ok: false; errors: QueryError[] };
