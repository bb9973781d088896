import type { AuditEvent } from '../domain/audit-event.js';
import type { ChangeSet } from '../domain/changes.js';

export const REDACTED = '••••••';

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Whether an attribute (a dotted path's last segment) is secret. Names of five letters or more
 * match anywhere (`voicemailPassword`, `apiTokenValue`); short ones only at the end (`voicemailPin`),
 * so `pin` does not swallow `pinned` or `spinner`-like names at the start.
 */
export function isSecretAttribute(path: string, names: readonly string[]): boolean {
  const last = normalise(path.split('.').at(-1) ?? path);
  return names.some((name) => {
    const wanted = normalise(name);
    if (wanted === '') return false;
    return wanted.length >= 5 ? last.includes(wanted) : last === wanted || last.endsWith(wanted);
  });
}

function redactValue(value: unknown, names: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => redactValue(v, names));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, v]) => [
      key,
      isSecretAttribute(key, names) && (v === null || typeof v !== 'object') ? REDACTED : redactValue(v, names),
    ]),
  );
}

export function redactChanges(set: ChangeSet, names: readonly string[]): ChangeSet {
  return {
    ...set,
    changes: set.changes.map((change) =>
      isSecretAttribute(change.path, names)
        ? {
            ...change,
            ...('old' in change ? { old: REDACTED } : {}),
            ...('new' in change ? { new: REDACTED } : {}),
          }
        : change,
    ),
  };
}

/**
 * The event as a channel may see it: secret attributes masked in `details`; `rawDetails` (text that
 * was not JSON, so cannot be masked attribute by attribute) withheld when it mentions any of them.
 */
export function redactEvent(event: AuditEvent, names: readonly string[]): AuditEvent {
  const raw = event.rawDetails;
  const rawMentionsSecret = raw !== null && names.some((n) => normalise(raw).includes(normalise(n)));
  return {
    ...event,
    details: redactValue(event.details, names),
    rawDetails: rawMentionsSecret ? `(withheld: may contain ${names.join(', ')})` : raw,
  };
}
