import type { AlertRuleListReply } from '../../src/replies/reply.js';
import type { Palette } from './render-changes.js';

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** `alerts` as terminal lines: id, query, where it posts, mute and last fired. */
export function renderAlertRulesText(r: AlertRuleListReply, p: Palette): string {
  const lines = r.message ? [r.message] : [];
  lines.push(p.bold(r.rules.length ? `Alert rules (${r.rules.length})` : 'No alert rules.'));
  for (const rule of r.rules) {
    const state = rule.mutedUntil ? p.yellow(` muted until ${utc(rule.mutedUntil)}`) : '';
    const fired = rule.lastFiredAt ? `last fired ${utc(rule.lastFiredAt)}` : 'never fired';
    lines.push(
      `  ${rule.id.padEnd(4)} ${rule.query}  → ${rule.platform} ${rule.destination}${rule.mode === 'digest' ? ' (digest)' : ''}${state}`,
      p.dim(`       ${fired} · added by ${rule.createdBy}`),
    );
  }
  if (!r.rules.length) lines.push(p.dim('`alerts add op:delete to slack:C0123` adds one.'));
  return lines.join('\n');
}
