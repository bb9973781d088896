import type { EventListReply, EventSummary, Reply } from '../../src/replies/reply.js';
import { actionVerb, actorPhrase, entityLabel, matchesText } from '../../src/replies/summarize.js';
import { renderAlertRulesText } from './render-alerts.js';
import { type Palette, PLAIN, renderChangesText } from './render-changes.js';

/** `2026-11-26 02:15 UTC` — the console has no user time zone to honour. */
export function timeText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function summaryLine(s: EventSummary, p: Palette): string {
  const who = s.impersonator ? p.yellow(actorPhrase(s)) : actorPhrase(s);
  const where = s.region ? ` [${s.region}]` : '';
  return `${timeText(s.time)}  ${who} ${p.bold(actionVerb(s.eventType))} ${entityLabel(s.entityType)} "${s.entityName}"${where}`;
}

function renderList(r: EventListReply, p: Palette): string[] {
  const first = (r.page - 1) * r.pageSize + 1;
  const last = first + r.events.length - 1;
  const head =
    r.total === 0
      ? `No events match \`${r.query || '(everything)'}\` between ${timeText(r.window.start)} and ${timeText(r.window.end)}.`
      : `${matchesText(r)} \`${r.query || '(everything)'}\` — showing ${first}–${last}, newest first`;
  const lines = [p.bold(head)];
  lines.push(
    p.dim(
      `window ${timeText(r.window.start)} → ${timeText(r.window.end)}${r.clampedToRetention ? ' (cut to the retention window)' : ''}; data complete up to ${r.freshness.completeUpTo ? timeText(r.freshness.completeUpTo) : 'n/a'}`,
    ),
  );
  for (const s of r.events) lines.push(`${summaryLine(s, p)}\n    ${p.dim(`id ${s.id}`)}`);
  const nav = [
    r.nextCursor ? '`next` for more' : '',
    r.page > 1 ? '`prev` to go back' : '',
    r.events.length ? '`show <id>` for changes' : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (nav) lines.push(p.dim(nav));
  return lines;
}

/** Every Reply as readable terminal text; colour only when a palette with colour is given. */
export function renderText(reply: Reply, p: Palette = PLAIN): string {
  switch (reply.kind) {
    case 'event-list':
      return renderList(reply, p).join('\n');
    case 'event-detail': {
      const e = reply.event;
      const lines = [
        p.bold(summaryLine(reply.summary, p)),
        p.dim(`id ${e.id} · ${e.service} · ${e.entityType} ${e.entityKey}`),
      ];
      if (reply.summary.impersonator)
        lines.push(p.yellow(`impersonated: ${reply.summary.impersonator.name ?? reply.summary.impersonator.id}`));
      if (e.accessMethod) lines.push(p.dim(`via ${e.accessMethod}`));
      if (e.correlationId) lines.push(p.dim(`part of ${e.correlationType ?? 'change set'} ${e.correlationId}`));
      if (reply.chain)
        lines.push(p.dim(`chain position ${reply.chain.position.toLocaleString('en-US')} · hash ${reply.chain.hash}`));
      if (reply.expanded) lines.push(...renderChangesText(reply.changes, p));
      if (e.rawDetails !== null) lines.push(p.dim(`details (not JSON): ${e.rawDetails.slice(0, 500)}`));
      if (reply.editUrl) lines.push(`Edit in Admin Console: ${reply.editUrl}`);
      return lines.join('\n');
    }
    case 'notice': {
      const color = reply.level === 'error' ? p.red : reply.level === 'warn' ? p.yellow : (t: string) => t;
      return [color(reply.text), reply.hint ? p.dim(reply.hint) : ''].filter(Boolean).join('\n');
    }
    case 'file': {
      const lines = [
        p.bold(`${reply.title}`),
        p.dim(
          `query \`${reply.query || '(everything)'}\`, ${timeText(reply.window.start)} → ${timeText(reply.window.end)}`,
        ),
      ];
      reply.parts.forEach((part, i) => {
        const label = reply.parts.length > 1 ? `part ${i + 1} of ${reply.parts.length}: ` : '';
        lines.push(`${label}${part.path} (${part.rows.toLocaleString('en-US')} rows)`);
      });
      return lines.join('\n');
    }
    case 'filter-form': {
      const v = reply.values;
      return [
        p.bold('Filters (the console has no form — edit the query instead):'),
        `app ${v.app ?? 'any'}, region ${v.region ?? 'any'}, when ${v.when ?? (v.since ? `since ${v.since}` : 'retention window')}${v.until ? ` until ${v.until}` : ''}`,
        `who ${v.who.join(', ') || 'anyone'}; operations ${v.ops.join(', ') || 'any'}; entities ${v.entities.join(', ') || 'any'}; text ${v.text || '—'}`,
        p.dim(`known entity types: ${reply.choices.entityTypes.join(', ') || '—'}`),
        p.dim(`known actors: ${reply.choices.actors.map((a) => a.name ?? a.id).join(', ') || '—'}`),
      ].join('\n');
    }
    case 'summary': {
      const width = Math.max(...reply.facts.map((f) => f.label.length));
      const lines = [p.bold(reply.title), ...reply.facts.map((f) => `${f.label.padEnd(width)}  ${f.value}`)];
      if (reply.footnote) lines.push(p.dim(reply.footnote));
      return lines.join('\n');
    }
    case 'alert-rules':
      return renderAlertRulesText(reply, p);
    case 'help': {
      const lines = [p.bold('Commands')];
      for (const c of reply.commands) lines.push(`  ${c.usage.padEnd(18)} ${c.description}`);
      lines.push(p.bold('Query language'), '  qualifiers are ANDed; comma = any of; a leading - excludes');
      for (const q of reply.qualifiers) lines.push(`  ${q.syntax.padEnd(42)} ${q.description}`);
      lines.push(p.bold('Examples'), ...reply.examples.map((e) => `  ${e}`));
      return lines.join('\n');
    }
  }
}
