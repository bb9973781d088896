import type { types } from '@slack/bolt';
import type { Change, ChangeSet } from '../../../src/domain/changes.js';
import { codeSafe, context, escapeCut, escapeMrkdwn, LIMITS, oneLine, section } from './text.js';

/** A value on one diff line; long ones are cut so one attribute cannot crowd out the rest. */
const VALUE_MAX = 200;
const PATH_MAX = 120;
/** At most this many diff sections: with the detail blocks around them the message stays well under ~13k. */
const MAX_DIFF_SECTIONS = 3;
/** Room for the ``` fences inside one section. */
const SECTION_BODY_MAX = LIMITS.sectionText - 20;

function valueText(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  return oneLine(text);
}

function line(sign: '-' | '+', change: Change, value: unknown): string {
  const path = escapeCut(oneLine(change.path), PATH_MAX);
  return codeSafe(`${sign} ${path}: ${escapeCut(valueText(value), VALUE_MAX)}`);
}

/** Old values on `-` lines, new on `+`: added attributes show only the new value, removed only the old. */
export function diffLines(change: Change): string[] {
  switch (change.kind) {
    case 'added':
      return [line('+', change, change.new)];
    case 'removed':
      return [line('-', change, change.old)];
    case 'changed':
      return [line('-', change, change.old), line('+', change, change.new)];
  }
}

const BASIS_NOTE: Record<ChangeSet['basis'], string> = {
  'old-new': '',
  'previous-state': 'Compared with the previous state auditbot has of this entity.',
  'first-seen': 'First seen: auditbot has no earlier state of this entity, so every attribute is shown as new.',
  none: 'This event carries no attribute details.',
};

/**
 * The change set as ```diff sections (Slack colours nothing, but `-`/`+` read as old/new), cut to the
 * message limits with "… N more changes" and a report hint.
 */
export function renderChanges(set: ChangeSet, reportHint: string): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [];
  const note = BASIS_NOTE[set.basis];
  if (note) blocks.push(context(note));
  if (set.changes.length === 0) {
    if (set.basis !== 'none') blocks.push(context('No attribute changed.'));
    return blocks;
  }
  let body: string[] = [];
  let bodyLength = 0;
  let rendered = 0;
  const flush = () => {
    if (body.length) blocks.push(section(`\`\`\`${body.join('\n')}\`\`\``));
    body = [];
    bodyLength = 0;
  };
  for (const change of set.changes) {
    const lines = diffLines(change);
    const length = lines.reduce((sum, l) => sum + l.length + 1, 0);
    if (bodyLength + length > SECTION_BODY_MAX) {
      if (blocks.filter((b) => b.type === 'section').length + 1 >= MAX_DIFF_SECTIONS) break;
      flush();
    }
    body.push(...lines);
    bodyLength += length;
    rendered += 1;
  }
  flush();
  const more = set.changes.length - rendered;
  if (more > 0)
    blocks.push(
      context(`… ${more} more change${more === 1 ? '' : 's'} — run ${escapeMrkdwn(reportHint)} for all of them`),
    );
  return blocks;
}
