import type { AuditEvent } from '../domain/audit-event.js';
import type { ChangeSet } from '../domain/changes.js';

/**
 * What any surface says (ARCHITECTURE §3). Commands and alerts return these; adapters render them
 * with pure functions (Block Kit, Adaptive Cards, terminal text) within each platform's limits.
 */
export type Reply =
  | EventListReply
  | EventDetailReply
  | NoticeReply
  | FileReply
  | FilterFormReply
  | SummaryReply
  | HelpReply
  | AlertRuleListReply;

export interface Person {
  id: string;
  /** Resolved display name, when known. */
  name: string | null;
}

/** One line of an event list: enough to recognise the change without opening it. */
export interface EventSummary {
  id: string;
  time: string;
  eventType: AuditEvent['eventType'];
  service: string;
  entityType: string;
  entityKey: string;
  /** displayName, or the entity key when the event has none. */
  entityName: string;
  actor: Person | null;
  impersonator: Person | null;
  region: string | null;
  accessMethod: string | null;
  correlation: { type: string | null; id: string } | null;
}

export interface Freshness {
  /** Data is complete up to this instant (sync watermark, else newest stored event); null when empty. */
  completeUpTo: string | null;
  /** Which road that figure comes from (`api`, `import`, …). */
  basis: string | null;
}

export interface EventListReply {
  kind: 'event-list';
  /** Canonical query text (formatQuery). */
  query: string;
  window: { start: string; end: string };
  /** True when the requested range was cut to the retention window. */
  clampedToRetention: boolean;
  /** Matches; when totalIsLowerBound, at least this many (counting stops at a cap). */
  total: number;
  totalIsLowerBound: boolean;
  events: EventSummary[];
  /** 1-based page number and page size, for "21–40 of 130". */
  page: number;
  pageSize: number;
  /** Cursor of this page (null on the first), and of the next; adapters carry them in buttons. */
  cursor: string | null;
  nextCursor: string | null;
  /** Cursors of the pages before this one, oldest first, so "Previous" can walk back. */
  previousCursors: (string | null)[];
  freshness: Freshness;
  /** Each listed event's changes by event id, when the surface asked for them (cards that expand in place). */
  changes?: Record<string, ChangeSet>;
}

export interface EventDetailReply {
  kind: 'event-detail';
  summary: EventSummary;
  event: AuditEvent;
  changes: ChangeSet;
  /** Admin Console page to edit this entity, when a URL template is configured for its type. */
  editUrl: string | null;
  expanded: boolean;
  /** Its place in the tenant's tamper-evident chain, when it has one. */
  chain?: { position: number; hash: string } | null;
}

export interface NoticeReply {
  kind: 'notice';
  level: 'info' | 'warn' | 'error';
  text: string;
  /** How to fix it or what to try next. */
  hint?: string;
}

export interface ReportPart {
  /** File name as it should appear to the user. */
  name: string;
  /** Where the CSV was written. */
  path: string;
  rows: number;
  bytes: number;
  /** The events of its rows in order (set by writeReport for the proof; dropped once it is written). */
  eventIds?: string[];
  /** Its proof beside it (`<name>.sha256.json`, src/reports/report-proof.ts), when one was written. */
  proof?: { name: string; path: string };
}

export interface FileReply {
  kind: 'file';
  title: string;
  query: string;
  window: { start: string; end: string };
  totalRows: number;
  parts: ReportPart[];
}

export interface FilterValues {
  app: 'platform' | 'cc' | null;
  region: string | null;
  when: string | null;
  since: string | null;
  until: string | null;
  who: string[];
  ops: string[];
  entities: string[];
  text: string;
}

export interface FilterFormReply {
  kind: 'filter-form';
  values: FilterValues;
  choices: {
    regions: string[];
    actors: Person[];
    entityTypes: string[];
    operations: string[];
    presets: string[];
  };
  error?: string;
}

export interface SummaryReply {
  kind: 'summary';
  title: string;
  facts: { label: string; value: string }[];
  footnote?: string;
}

export interface HelpReply {
  kind: 'help';
  commands: { usage: string; description: string }[];
  qualifiers: { syntax: string; description: string }[];
  examples: string[];
}

/** One alert rule as `alerts` lists it. */
export interface AlertRuleLine {
  id: string;
  /** Canonical query text. */
  query: string;
  platform: 'slack' | 'teams';
  /** Channel id / conversation key. */
  destination: string;
  mode: 'each' | 'digest';
  createdBy: string;
  createdAt: string;
  /** ISO instant the mute ends, when muted now. */
  mutedUntil: string | null;
  /** ISO instant an alert of this rule was last posted; null when never. */
  lastFiredAt: string | null;
}

/** `alerts`: the tenant's alert rules (and what a change just did, when one did). */
export interface AlertRuleListReply {
  kind: 'alert-rules';
  rules: AlertRuleLine[];
  /** "Rule 3 added." — what the command that answered with this list changed. */
  message?: string;
}
