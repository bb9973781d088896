import type { AlertRuleListReply } from '../../../src/replies/reply.js';
import { type AdaptiveCard, adaptiveCard, type CardElement, localTime, richText, textBlock } from './card.js';

/** Rules shown on one card; Teams refuses cards near 28 KB. */
const MAX_RULES = 40;

/** `audit alerts`: each rule's id, query, destination, mute and last fired time. */
export function renderAlertRules(r: AlertRuleListReply): AdaptiveCard {
  const body: CardElement[] = [textBlock('Alert rules', { size: 'Medium', weight: 'Bolder' })];
  if (r.message) body.push(richText([{ text: r.message }]));
  for (const rule of r.rules.slice(0, MAX_RULES)) {
    const where = rule.platform === 'slack' ? `Slack ${rule.destination}` : `Teams ${rule.destination}`;
    body.push(
      richText(
        [
          { text: `${rule.id}  `, weight: 'Bolder' },
          { text: rule.query, monospace: true },
          { text: ` → ${where}${rule.mode === 'digest' ? ' (digest)' : ''}` },
          ...(rule.mutedUntil ? [{ text: '  muted', color: 'warning' as const, weight: 'Bolder' as const }] : []),
        ],
        { separator: true },
      ),
      textBlock(
        `${rule.lastFiredAt ? `Last fired ${localTime(rule.lastFiredAt)}` : 'Never fired'}${rule.mutedUntil ? ` · muted until ${localTime(rule.mutedUntil)}` : ''}`,
        { isSubtle: true, size: 'Small', spacing: 'None' },
      ),
    );
  }
  if (r.rules.length > MAX_RULES) body.push(textBlock(`… ${r.rules.length - MAX_RULES} more`, { isSubtle: true }));
  if (r.rules.length === 0) body.push(textBlock('No alert rules yet.'));
  body.push(
    textBlock(
      '`audit alerts add <query>` · `remove <id>` · `mute <id> 1h` · `unmute <id>` · `test <id>` · `alerts here`',
      {
        isSubtle: true,
        separator: true,
      },
    ),
  );
  return adaptiveCard(body);
}
