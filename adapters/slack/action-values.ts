import { z } from 'zod';
import type { PageRequest } from '../../src/bot/context.js';

/** action_ids of every interactive element auditbot renders; listeners route on these. */
export const ACTIONS = {
  page: 'audit_page',
  details: 'audit_details',
  showChanges: 'audit_show_changes',
  hideChanges: 'audit_hide_changes',
  backToList: 'audit_back',
  share: 'audit_share',
  refine: 'audit_refine',
  editLink: 'audit_edit_link',
  /** `audit_alert_mute:<duration>:<ruleId>` — unique per button in a message (Slack requires it). */
  alertMute: 'audit_alert_mute',
} as const;

const AlertMuteSchema = z.object({ r: z.string().min(1).max(50), d: z.enum(['1h', '24h']) });

export function encodeAlertMute(ruleId: string, duration: '1h' | '24h'): string | null {
  return ruleId.length <= 50 ? JSON.stringify({ r: ruleId, d: duration }) : null;
}

export const FILTER_MODAL_CALLBACK = 'audit_filter';

/** Slack caps a button value at 2,000 characters. */
const MAX_VALUE = 2000;
/** Event buttons carry their list only when it is small, so a page of them stays light. */
const MAX_BACK_STATE = 600;

/**
 * A page of results as carried in a button: query, this page's cursor, and the cursors before it.
 * Cursors dropped to fit the value are counted in `d` (Previous past them goes to the first page).
 */
const ListStateSchema = z.object({
  q: z.string(),
  c: z.string().nullable(),
  p: z.array(z.string()),
  d: z.number().int().min(0),
});
export type ListState = z.infer<typeof ListStateSchema>;

const EventStateSchema = z.object({ id: z.string().min(1), b: ListStateSchema.optional() });
export type EventState = z.infer<typeof EventStateSchema>;

const RefineStateSchema = z.object({ q: z.string() });

/** The list state of a page: cursor plus the non-null cursors before it (the first page's is null). */
export function listState(query: string, cursor: string | null, previousCursors: (string | null)[]): ListState {
  const kept = previousCursors.filter((c): c is string => c !== null);
  return { q: query, c: cursor, p: kept, d: previousCursors.length - kept.length };
}

/** Back to what the bot expects: leading nulls stand for the first page and for dropped cursors. */
export function pageRequest(state: ListState): PageRequest {
  return { cursor: state.c, previousCursors: [...Array<null>(state.d).fill(null), ...state.p] };
}

/** JSON within `max` characters, dropping the oldest cursors first; null when even that cannot fit. */
export function encodeListState(state: ListState, max = MAX_VALUE): string | null {
  const p = [...state.p];
  let d = state.d;
  for (;;) {
    const json = JSON.stringify({ q: state.q, c: state.c, p, d });
    if (json.length <= max) return json;
    if (p.length === 0) return null;
    p.shift();
    d += 1;
  }
}

export function encodeEventState(id: string, back: ListState | null): string | null {
  const b = back ? encodeListState(back, MAX_BACK_STATE) : null;
  const json = JSON.stringify(b ? { id, b: JSON.parse(b) as ListState } : { id });
  return json.length <= MAX_VALUE ? json : null;
}

export function encodeRefineState(query: string): string | null {
  const json = JSON.stringify({ q: query });
  return json.length <= MAX_VALUE ? json : null;
}

function decode<T>(schema: z.ZodType<T>, value: string | undefined): T | null {
  if (!value) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const decodeListState = (value: string | undefined) => decode(ListStateSchema, value);
export const decodeEventState = (value: string | undefined) => decode(EventStateSchema, value);
export const decodeRefineState = (value: string | undefined) => decode(RefineStateSchema, value);
export const decodeAlertMute = (value: string | undefined) => decode(AlertMuteSchema, value);

/** What a filter modal remembers between opening and submission (≤ 3,000 characters). */
const ModalMetadataSchema = z.object({
  channel: z.string().nullable(),
  responseUrl: z.string().nullable(),
  public: z.boolean(),
});
export type ModalMetadata = z.infer<typeof ModalMetadataSchema>;

export function encodeModalMetadata(meta: ModalMetadata): string {
  const json = JSON.stringify(meta);
  // A response_url is short in practice; never let an odd one push the view over its limit.
  return json.length <= 3000 ? json : JSON.stringify({ ...meta, responseUrl: null });
}

export const decodeModalMetadata = (value: string | undefined) => decode(ModalMetadataSchema, value);
