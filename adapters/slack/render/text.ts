import type { types } from '@slack/bolt';

/** Block Kit limits (PLATFORM-FACTS.md, Slack); renderers cut to these, never fail. */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  blockId: 255,
  actionsElements: 25,
  contextElements: 10,
  options: 100,
  optionText: 75,
  modalTitle: 24,
  privateMetadata: 3000,
  /** Our own budget for a whole message; Slack can refuse around 13k. */
  messageText: 11_000,
} as const;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** mrkdwn-safe: `<!channel>`, `<@U1>` and `<https://x|y>` in user data render literally and ping no one. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
}

/**
 * Escapes, then cuts to `max` characters without splitting an escape sequence or a surrogate pair
 * (emoji), ending with "…" when something was cut.
 */
export function escapeCut(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const char of text) {
    const piece = ESCAPES[char] ?? char;
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** Cuts plain text (headers, buttons, options: not mrkdwn) to `max` characters on a code-point boundary. */
export function cutPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}

/** Single line: newlines would break the compact one-line layouts. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

/** Inside a ``` block, a value holding ``` would end it early: break such runs with a zero-width space. */
export function codeSafe(text: string): string {
  return text.replace(/`{3,}/g, (run) => run.split('').join('\u200b'));
}

/** `<!date^…>` token Slack shows in the reader's own time zone; the fallback is UTC. */
export function slackDate(iso: string): string {
  const epoch = Math.floor(Date.parse(iso) / 1000);
  const fallback = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  if (!Number.isFinite(epoch)) return escapeMrkdwn(iso);
  return `<!date^${epoch}^{date_short_pretty} {time}|${fallback}>`;
}

export function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: cutPlain(text, max) || ' ', emoji: true };
}

export function mrkdwn(text: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text: text || ' ' };
}

export function section(text: string, blockId?: string): types.SectionBlock {
  const block: types.SectionBlock = { type: 'section', text: mrkdwn(text) };
  if (blockId) block.block_id = blockId;
  return block;
}

export function context(...texts: string[]): types.ContextBlock {
  return { type: 'context', elements: texts.filter(Boolean).slice(0, LIMITS.contextElements).map(mrkdwn) };
}

export function button(options: {
  text: string;
  actionId: string;
  value?: string;
  style?: 'primary' | 'danger';
  url?: string;
}): types.Button {
  const element: types.Button = {
    type: 'button',
    text: plain(options.text, LIMITS.buttonText),
    action_id: options.actionId,
  };
  if (options.value !== undefined) element.value = options.value;
  if (options.style) element.style = options.style;
  if (options.url) element.url = options.url;
  return element;
}

/** `1,234` */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A Slack message body: fallback text for notifications plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}
