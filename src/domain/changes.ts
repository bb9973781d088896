import type { AuditEvent } from './audit-event.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface Change {
  /** Dotted path of the attribute (`forwarding.noAnswer.target`); arrays are leaves. */
  path: string;
  kind: ChangeKind;
  old?: unknown;
  new?: unknown;
}

/**
 * How the changes were obtained: from the event's own old/new documents, against the previous
 * stored state (final-state-only events), or not at all (`first-seen`: all attributes are new to us;
 * `none`: the event carries no comparable details).
 */
export type ChangeBasis = 'old-new' | 'previous-state' | 'first-seen' | 'none';

export interface ChangeSet {
  basis: ChangeBasis;
  changes: Change[];
  /** The event this one was compared with (previous-state basis). */
  previousEventId?: string;
}

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Flattens nested objects into dotted paths; arrays and scalars are leaf values. */
export function flattenAttributes(
  value: unknown,
  prefix = '',
  into = new Map<string, unknown>(),
): Map<string, unknown> {
  if (!isPlainObject(value)) {
    if (prefix) into.set(prefix, value);
    return into;
  }
  const keys = Object.keys(value);
  if (keys.length === 0 && prefix) into.set(prefix, {});
  for (const key of keys) flattenAttributes(value[key], prefix ? `${prefix}.${key}` : key, into);
  return into;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Changes between two attribute documents (old → new), in path order. */
export function diffDocuments(oldDoc: unknown, newDoc: unknown): Change[] {
  const before = flattenAttributes(oldDoc);
  const after = flattenAttributes(newDoc);
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: Change[] = [];
  for (const path of paths) {
    const inOld = before.has(path);
    const inNew = after.has(path);
    if (inOld && inNew) {
      if (!sameValue(before.get(path), after.get(path))) {
        changes.push({ path, kind: 'changed', old: before.get(path), new: after.get(path) });
      }
    } else if (inNew) {
      changes.push({ path, kind: 'added', new: after.get(path) });
    } else {
      changes.push({ path, kind: 'removed', old: before.get(path) });
    }
  }
  return changes;
}

/** `{"new":…,"old":…}` (platform events), as opposed to a final-state document (CC events). */
export function hasOldNewShape(details: unknown): details is { new?: unknown; old?: unknown } {
  if (!isPlainObject(details)) return false;
  const keys = Object.keys(details);
  return keys.length > 0 && keys.every((k) => k === 'new' || k === 'old');
}

/** The entity's state as this event leaves it, when the event carries a final state. */
export function finalState(event: Pick<AuditEvent, 'details' | 'eventType'>): Json | null {
  if (event.eventType === 'delete') return null;
  if (!isPlainObject(event.details) || hasOldNewShape(event.details)) return null;
  return event.details;
}

/**
 * The changes an event made. Platform events carry old/new; final-state-only events are compared
 * with `previous` (the same entity's latest earlier event), or reported as first seen.
 */
export function computeChanges(
  event: Pick<AuditEvent, 'details' | 'eventType'>,
  previous: AuditEvent | null,
): ChangeSet {
  const { details } = event;
  if (hasOldNewShape(details)) {
    return { basis: 'old-new', changes: diffDocuments(details.old ?? {}, details.new ?? {}) };
  }
  if (!isPlainObject(details)) return { basis: 'none', changes: [] };
  if (event.eventType === 'delete') return { basis: 'old-new', changes: diffDocuments(details, {}) };
  const before = previous ? finalState(previous) : null;
  if (previous && before) {
    return { basis: 'previous-state', changes: diffDocuments(before, details), previousEventId: previous.id };
  }
  return { basis: 'first-seen', changes: diffDocuments({}, details) };
}

/** True when computing changes needs the previous stored state of the entity. */
export function needsPreviousState(event: Pick<AuditEvent, 'details' | 'eventType'>): boolean {
  return event.eventType !== 'delete' && isPlainObject(event.details) && !hasOldNewShape(event.details);
}
