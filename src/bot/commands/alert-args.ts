import type { Platform } from '../../access/principal.js';
import type { AlertDestination } from '../../alerts/rules.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_MUTE_MS = 30 * 86_400_000;

/** `30m`, `1h`, `24h`, `7d` → milliseconds; null when not a duration of up to 30 days. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,4})\s*([mhd])$/i.exec(text.trim());
  if (!match?.[1] || !match[2]) return null;
  const ms = Number(match[1]) * (UNITS[match[2].toLowerCase()] ?? 0);
  return ms > 0 && ms <= MAX_MUTE_MS ? ms : null;
}

/**
 * The target of `alerts add … to <x>`: `slack:C123` / `teams:<key>` explicitly, a Slack channel
 * mention (`<#C123|security>`), `#name`, or a bare id on the platform the command came from.
 */
export function parseDestination(text: string, platform: Platform): AlertDestination | null {
  const value = text.trim();
  const mention = /^<#([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value);
  if (mention?.[1]) return { platform: 'slack', channel: mention[1] };
  const explicit = /^(slack|teams):(\S+)$/.exec(value);
  if (explicit?.[1] === 'slack' && explicit[2]) return { platform: 'slack', channel: explicit[2] };
  if (explicit?.[1] === 'teams' && explicit[2]) return { platform: 'teams', conversationKey: explicit[2] };
  if (/\s/.test(value) || value === '') return null;
  if (platform === 'slack') return { platform: 'slack', channel: value };
  if (platform === 'teams') return { platform: 'teams', conversationKey: value };
  return null;
}
