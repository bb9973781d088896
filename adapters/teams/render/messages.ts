import type { HelpReply, NoticeReply, SummaryReply } from '../../../src/replies/reply.js';
import { type AdaptiveCard, adaptiveCard, type CardElement, richText, textBlock } from './card.js';
import { factRows } from './facts.js';

const NOTICE_COLOR: Record<NoticeReply['level'], 'attention' | 'warning' | undefined> = {
  error: 'attention',
  warn: 'warning',
  info: undefined,
};

/** Notices quote queries and ids back (`audit show x`): code spans become monospace runs, not markdown. */
function withCode(text: string, color?: 'attention' | 'warning'): CardElement {
  const parts = text.split('`');
  return richText(
    parts.map((part, i) =>
      i % 2 === 1 ? { text: part, monospace: true } : { text: part, ...(color ? { color } : {}) },
    ),
  );
}

export function renderNotice(reply: NoticeReply): AdaptiveCard {
  const body = [withCode(reply.text, NOTICE_COLOR[reply.level])];
  if (reply.hint) body.push({ ...withCode(reply.hint), spacing: 'Small' });
  return adaptiveCard(body);
}

export function renderSummary(reply: SummaryReply): AdaptiveCard {
  const body: CardElement[] = [textBlock(reply.title, { size: 'Medium', weight: 'Bolder' }), ...factRows(reply.facts)];
  if (reply.footnote) body.push({ ...withCode(reply.footnote), separator: true });
  return adaptiveCard(body);
}

/** Help with the Teams prefix: commands are typed as `audit …` (or after @auditbot). */
export function renderHelp(reply: HelpReply): AdaptiveCard {
  const body: CardElement[] = [textBlock('auditbot commands', { size: 'Medium', weight: 'Bolder' })];
  for (const c of reply.commands) {
    body.push(
      richText([{ text: `audit ${c.usage}`, monospace: true, weight: 'Bolder' }, { text: ` — ${c.description}` }], {
        spacing: 'Small',
      }),
    );
  }
  body.push(textBlock('Query language', { weight: 'Bolder', separator: true }));
  body.push(
    textBlock('Qualifiers are combined with AND; a comma means any of; a leading minus excludes.', {
      isSubtle: true,
      spacing: 'None',
    }),
  );
  for (const q of reply.qualifiers) {
    body.push(richText([{ text: q.syntax, monospace: true }, { text: ` — ${q.description}` }], { spacing: 'Small' }));
  }
  body.push(textBlock('Examples', { weight: 'Bolder', separator: true }));
  for (const e of reply.examples) body.push(richText([{ text: `audit ${e}`, monospace: true }], { spacing: 'Small' }));
  body.push(textBlock('In personal chat the word `audit` is optional.', { isSubtle: true, separator: true }));
  return adaptiveCard(body);
}
