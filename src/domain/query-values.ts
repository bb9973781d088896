import { REGIONS } from './audit-event.js';
import { APPLICATIONS, OPERATIONS, type TimePoint, WHEN_PRESETS, type WhenPreset } from './audit-query.js';
import { isoInstantMs } from './time-range.js';

type SpanUnit = Extract<TimePoint, { kind: 'ago' }>['unit'];

/** A value as the query means it, or what is wrong with it as typed. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string; suggestion?: string };

function invalid<T>(message: string, suggestion?: string): Checked<T> {
  return suggestion === undefined ? { ok: false, message } : { ok: false, message, suggestion };
}

/** Levenshtein distance; inputs are qualifier names and short values, so O(n·m) is nothing. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The candidate a typo most likely meant: the only one it is a prefix of (`entit` → `entity`),
 * else the nearest within a couple of edits. Aliases count as candidates and stand for their
 * target. Undefined when nothing is close enough to suggest.
 */
export function closestMatch(
  typed: string,
  candidates: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  const lower = typed.toLowerCase();
  const all = [...candidates, ...Object.keys(aliases)];
  const target = (c: string) => aliases[c] ?? c;
  const prefixed = new Set(all.filter((c) => lower.length >= 2 && c.startsWith(lower)).map(target));
  if (prefixed.size === 1) return [...prefixed][0];
  const limit = lower.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of all) {
    const distance = editDistance(lower, candidate);
    if (distance < bestDistance) {
      best = target(candidate);
      bestDistance = distance;
    }
  }
  return best;
}

function didYouMean(
  field: string,
  typed: string,
  near: string | undefined,
  candidates: readonly string[],
  what: string,
) {
  const list = candidates.join(', ');
  if (near) return `unknown ${what} \`${typed}\` — did you mean \`${field}:${near}\`?`;
  return `unknown ${what} \`${typed}\` — use one of ${list}`;
}

function choose<T extends string>(
  field: string,
  typed: string,
  candidates: readonly T[],
  aliases: Readonly<Record<string, string>>,
  what: string,
): Checked<T> {
  const key = typed.toLowerCase();
  const found = candidates.find((c) => c === (aliases[key] ?? key));
  if (found !== undefined) return { ok: true, value: found };
  const near = closestMatch(key, candidates, aliases);
  return invalid(didYouMean(field, typed, near, candidates, what), near && `${field}:${near}`);
}

export function checkOperation(typed: string): Checked<string> {
  return choose('op', typed, OPERATIONS, {}, 'operation');
}

const APPLICATION_NAMES = Object.keys(APPLICATIONS) as (keyof typeof APPLICATIONS)[];

/** What people call the two products, and the services' own names, mapped to `app:` values. */
const APPLICATION_ALIASES: Record<string, string> = {
  uc: 'platform',
  ucaas: 'platform',
  adminconsole: 'platform',
  contactcenter: 'cc',
  contactcentre: 'cc',
  vcc: 'cc',
  ...Object.fromEntries(Object.entries(APPLICATIONS).map(([app, service]) => [service, app])),
};

export function checkApplication(typed: string): Checked<string> {
  const canonical = APPLICATION_ALIASES[typed.toLowerCase().replace(/[-_ ]/g, '')];
  return choose('app', canonical ?? typed, APPLICATION_NAMES, APPLICATION_ALIASES, 'application');
}

/** `uk`/`eu` are unambiguous: 8x8 has one European contact-center region. */
const REGION_ALIASES: Record<string, string> = {
  uk: 'uk-eu',
  eu: 'uk-eu',
  ukeu: 'uk-eu',
  uk_eu: 'uk-eu',
  canada: 'ca',
};

export function checkRegion(typed: string): Checked<string> {
  return choose('region', typed, REGIONS, REGION_ALIASES, 'region');
}

const YES_NO: Record<string, boolean> = { yes: true, true: true, no: false, false: false };

export function checkImpersonated(typed: string): Checked<boolean> {
  const value = YES_NO[typed.toLowerCase()];
  if (value !== undefined) return { ok: true, value };
  return invalid(`\`impersonated:\` takes yes or no, not \`${typed}\``);
}

/** `1d`/`1w` are the same spans as `24h`/`7d`; people type them. */
const WHEN_ALIASES: Record<string, WhenPreset> = { '1d': '24h', '1w': '7d' };
const DURATION = /^(\d{1,7})([mhdw])$/;

export function checkWhen(typed: string): Checked<WhenPreset> {
  const key = typed.toLowerCase();
  const preset = WHEN_PRESETS.find((p) => p === key) ?? WHEN_ALIASES[key];
  if (preset) return { ok: true, value: preset };
  const span = DURATION.test(key) ? key : spelledOutSpan(typed);
  if (span === undefined) return choose('when', typed, WHEN_PRESETS, WHEN_ALIASES, 'time preset');
  // A span that is not a preset is still a fine window, written with `since:`.
  const spanPreset = WHEN_PRESETS.find((p) => p === span) ?? WHEN_ALIASES[span];
  const suggestion = spanPreset ? `when:${spanPreset}` : `since:${span}`;
  return invalid(
    `\`when:\` takes today, 24h, 7d, 30d or 90d, not \`${typed}\` — did you mean \`${suggestion}\`?`,
    suggestion,
  );
}

/** Spelled-out spans (`7days`, `12 hours`) and the short unit each stands for. */
const LONG_UNITS: [RegExp, SpanUnit][] = [
  [/^(?:mins?|minutes?)$/, 'm'],
  [/^(?:hrs?|hours?)$/, 'h'],
  [/^(?:days?)$/, 'd'],
  [/^(?:wks?|weeks?)$/, 'w'],
];

export function checkTimePoint(field: 'since' | 'until', typed: string): Checked<TimePoint> {
  const duration = DURATION.exec(typed.toLowerCase());
  if (duration) {
    const amount = Number(duration[1]);
    const unit = duration[2] as SpanUnit;
    if (amount > 0) return { ok: true, value: { kind: 'ago', amount, unit } };
    return invalid(`\`${field}:${typed}\` is no time ago — use a span of at least 1, like \`${field}:1${unit}\``);
  }
  // `t`/`z` are legal ISO in lower case too; keep the canonical upper case.
  const iso = typed.toUpperCase();
  if (/^\d{4}-\d{2}-\d{2}(T|$)/.test(iso)) {
    if (Number.isFinite(isoInstantMs(iso))) return { ok: true, value: { kind: 'instant', iso } };
    return invalid(
      `\`${typed}\` is not a valid date or time — write a date like 2026-11-01 or a UTC time like 2026-11-01T09:30Z`,
    );
  }
  const span = spelledOutSpan(typed);
  const help = `\`${field}:\` takes a date (2026-11-01), a date and time (2026-11-01T09:30Z) or a span back from now (30m, 12h, 7d, 2w), not \`${typed}\``;
  return span ? invalid(`${help} — did you mean \`${field}:${span}\`?`, `${field}:${span}`) : invalid(help);
}

/** `7days` → `7d`: the short form of a spelled-out span, if it is one. */
function spelledOutSpan(typed: string): string | undefined {
  const match = /^(\d{1,7})\s*([a-z]+)$/.exec(typed.toLowerCase());
  if (!match) return undefined;
  const unit = LONG_UNITS.find(([pattern]) => pattern.test(match[2] as string))?.[1];
  return unit && `${match[1]}${unit}`;
}
