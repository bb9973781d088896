import type { types } from '@slack/bolt';
import type { FileReply, HelpReply, NoticeReply, ReportPart, SummaryReply } from '../../../src/replies/reply.js';
import { context, count, escapeCut, escapeMrkdwn, LIMITS, oneLine, plain, type SlackMessage, section } from './text.js';

const NOTICE_ICON: Record<NoticeReply['level'], string> = {
  info: ':information_source:',
  warn: ':warning:',
  error: ':no_entry:',
};

/**
 * Notices carry query echoes and ids that came from the user: escape them, but keep their `code`
 * spans (backticks are not special to Slack's parser).
 */
export function renderNotice(r: NoticeReply): SlackMessage {
  const text = escapeCut(r.text, LIMITS.sectionText - 40);
  const blocks: types.KnownBlock[] = [section(`${NOTICE_ICON[r.level]} ${text}`)];
  if (r.hint) blocks.push(context(escapeCut(r.hint, 2000)));
  return { text: escapeCut(oneLine(r.text), 300), blocks };
}

/** `status` and `whoami`: a title and label/value facts, two per row as section fields. */
export function renderSummary(r: SummaryReply): SlackMessage {
  const blocks: types.KnownBlock[] = [{ type: 'header', text: plain(r.title, LIMITS.headerText) }];
  // A section holds at most 10 fields: 5 facts (label + value) per section. 20 facts with cut values
  // keep the whole message far below Slack's ~13k text limit (status has about ten).
  const facts = r.facts.slice(0, 20);
  for (let i = 0; i < facts.length; i += 5) {
    const fields = facts.slice(i, i + 5).flatMap((f) => [
      { type: 'mrkdwn' as const, text: `*${escapeCut(oneLine(f.label), 100)}*` },
      { type: 'mrkdwn' as const, text: escapeCut(f.value, 250) || ' ' },
    ]);
    blocks.push({ type: 'section', fields });
  }
  if (r.facts.length > facts.length) blocks.push(context(`… ${r.facts.length - facts.length} more`));
  if (r.footnote) blocks.push(context(escapeCut(r.footnote, 1000)));
  return { text: escapeCut(r.title, 300), blocks };
}

/** Help with `/audit` in front of every command. */
export function renderHelp(r: HelpReply): SlackMessage {
  const commands = r.commands
    .map((c) => `\`/audit ${escapeMrkdwn(c.usage)}\` — ${escapeMrkdwn(c.description)}`)
    .join('\n');
  const qualifiers = r.qualifiers
    .map((q) => `\`${escapeMrkdwn(q.syntax)}\` — ${escapeMrkdwn(q.description)}`)
    .join('\n');
  const examples = r.examples.map((e) => `\`/audit ${escapeMrkdwn(e)}\``).join('\n');
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain('auditbot — who changed what, when', LIMITS.headerText) },
    section(`*Commands*\n${commands}`.slice(0, LIMITS.sectionText)),
    section(
      `*Query language* — qualifiers are ANDed; comma = any of; a leading \`-\` excludes\n${qualifiers}`.slice(
        0,
        LIMITS.sectionText,
      ),
    ),
    section(`*Examples*\n${examples}`.slice(0, LIMITS.sectionText)),
    context(
      'Answers are visible only to you; add `--public` to post in the channel. `/audit` alone opens the filter form.',
    ),
  ];
  return { text: 'auditbot help', blocks };
}

/** The comment posted with one uploaded CSV part: query, rows, window, "part i of n". */
export function reportPartComment(r: FileReply, part: ReportPart, index: number): string {
  const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const of = r.parts.length > 1 ? ` — part ${index + 1} of ${r.parts.length}` : '';
  const query = escapeCut(oneLine(r.query || '(everything)'), 500);
  return `*${escapeCut(r.title, 200)}*${of}\nQuery \`${query}\` · ${count(part.rows)} of ${count(r.totalRows)} rows · ${utc(r.window.start)} → ${utc(r.window.end)}`;
}

/** A report with nothing to upload (no match) or the summary after uploading. */
export function renderReportSummary(r: FileReply): SlackMessage {
  const query = escapeCut(oneLine(r.query || '(everything)'), 500);
  const text =
    r.totalRows === 0
      ? `No events match \`${query}\` — nothing to report.`
      : `${escapeCut(r.title, 200)}: ${r.parts.length} CSV file${r.parts.length === 1 ? '' : 's'} for \`${query}\`.`;
  return { text: escapeCut(oneLine(text), 300), blocks: [section(text)] };
}
