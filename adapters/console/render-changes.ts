import type { Change, ChangeSet } from '../../src/domain/changes.js';

export interface Palette {
  red(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  yellow(text: string): string;
}

const ansi = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
export const COLOR: Palette = { red: ansi(31), green: ansi(32), dim: ansi(2), bold: ansi(1), yellow: ansi(33) };
const same = (text: string) => text;
export const PLAIN: Palette = { red: same, green: same, dim: same, bold: same, yellow: same };

/** Compact one-line rendering of an attribute value; long values are cut. */
export function valueText(value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function changeLines(change: Change, p: Palette): string[] {
  switch (change.kind) {
    case 'added':
      return [p.green(`+ ${change.path}: ${valueText(change.new)}`)];
    case 'removed':
      return [p.red(`- ${change.path}: ${valueText(change.old)}`)];
    case 'changed':
      return [
        p.red(`- ${change.path}: ${valueText(change.old)}`),
        p.green(`+ ${change.path}: ${valueText(change.new)}`),
      ];
  }
}

const BASIS_NOTE: Record<ChangeSet['basis'], string> = {
  'old-new': '',
  'previous-state': 'compared with the previous state auditbot has of this entity',
  'first-seen': 'first seen: auditbot has no earlier state of this entity, so every attribute is shown as new',
  none: 'this event carries no attribute details',
};

/** Changes as diff lines: old values red with `-`, new values green with `+`. */
export function renderChangesText(set: ChangeSet, p: Palette, limit = 200): string[] {
  const lines: string[] = [];
  const note = BASIS_NOTE[set.basis];
  if (note) lines.push(p.dim(`(${note})`));
  for (const change of set.changes.slice(0, limit)) lines.push(...changeLines(change, p));
  if (set.changes.length > limit)
    lines.push(p.dim(`… ${set.changes.length - limit} more changes — run a report for all of them`));
  if (set.changes.length === 0 && set.basis !== 'none') lines.push(p.dim('(no attribute changed)'));
  return lines;
}
