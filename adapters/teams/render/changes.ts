import type { Change, ChangeSet } from '../../../src/domain/changes.js';
import { type CardElement, richText, textBlock } from './card.js';

/** Compact one-line rendering of an attribute value; long values are cut. */
export function valueText(value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

const BASIS_NOTE: Record<ChangeSet['basis'], string> = {
  'old-new': '',
  'previous-state': 'Compared with the previous state auditbot has of this entity.',
  'first-seen': 'First seen: auditbot has no earlier state of this entity, so every attribute is shown as new.',
  none: 'This event carries no attribute details.',
};

/** One change: old value in the attention colour (struck through), new value in the good colour. */
function changeLine(change: Change): CardElement {
  const path = { text: change.path, monospace: true, weight: 'Bolder' as const };
  switch (change.kind) {
    case 'added':
      return richText(
        [{ text: '+ ', color: 'good' }, path, { text: ': ' }, { text: valueText(change.new), color: 'good' }],
        {
          spacing: 'Small',
        },
      );
    case 'removed':
      return richText(
        [
          { text: '− ', color: 'attention' },
          path,
          { text: ': ' },
          { text: valueText(change.old), color: 'attention', strike: true },
        ],
        { spacing: 'Small' },
      );
    case 'changed':
      return richText(
        [
          { text: '~ ' },
          path,
          { text: ': ' },
          { text: valueText(change.old), color: 'attention', strike: true },
          { text: ' → ' },
          { text: valueText(change.new), color: 'good' },
        ],
        { spacing: 'Small' },
      );
  }
}

/**
 * The diff lines of one event, at most `limit` of them; the rest are named by count so the reader
 * knows to open the event (`audit show <id>`) or run a report.
 */
export function changeElements(set: ChangeSet, limit: number, eventId: string): CardElement[] {
  const elements: CardElement[] = [];
  const note = BASIS_NOTE[set.basis];
  if (note) elements.push(textBlock(note, { isSubtle: true, size: 'Small', spacing: 'Small' }));
  for (const change of set.changes.slice(0, limit)) elements.push(changeLine(change));
  const hidden = set.changes.length - Math.min(limit, set.changes.length);
  if (hidden > 0) {
    elements.push(
      richText(
        [
          { text: `… ${hidden} more change${hidden === 1 ? '' : 's'} — send ` },
          { text: `audit show ${eventId}`, monospace: true },
          { text: ' for all.' },
        ],
        { isSubtle: true, spacing: 'Small' },
      ),
    );
  }
  if (set.changes.length === 0 && set.basis !== 'none') {
    elements.push(textBlock('No attribute changed.', { isSubtle: true, size: 'Small', spacing: 'Small' }));
  }
  return elements;
}
