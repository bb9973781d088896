/**
 * Adaptive Card building blocks. Teams renders schema 1.5 and below (PLATFORM-FACTS). Text we write
 * ourselves goes into TextBlocks (markdown allowed); anything a user or the 8x8 tenant controls goes
 * into TextRuns, which Teams never interprets as markdown — so a display name like `*[x](y)*` shows
 * as typed instead of turning into a link.
 */
export type CardElement = { type: string; [key: string]: unknown };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width: 'Full' };
}

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Teams refuses messages near 28 KB of card JSON in practice (hard limit 100 KB → 413). */
export const CARD_BYTE_BUDGET = 27 * 1024;

export function adaptiveCard(body: CardElement[], actions: CardElement[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** Our own wording (may use the markdown subset Teams supports). */
export function textBlock(text: string, options: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...options };
}

export interface Run {
  text: string;
  weight?: 'Bolder';
  color?: 'attention' | 'good' | 'warning' | 'accent';
  subtle?: boolean;
  monospace?: boolean;
  strike?: boolean;
  italic?: boolean;
}

/** Strips control characters and caps length: values come from tenants' configuration. */
export function cleanText(text: string, max = 500): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const oneLine = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function textRun(run: Run): CardElement {
  return {
    type: 'TextRun',
    text: cleanText(run.text),
    ...(run.weight ? { weight: run.weight } : {}),
    ...(run.color ? { color: run.color } : {}),
    ...(run.subtle ? { isSubtle: true } : {}),
    ...(run.monospace ? { fontType: 'Monospace' } : {}),
    ...(run.strike ? { strikethrough: true } : {}),
    ...(run.italic ? { italic: true } : {}),
  };
}

/** A line mixing our words and user-controlled values, none of it read as markdown. */
export function richText(runs: Run[], options: Record<string, unknown> = {}): CardElement {
  return { type: 'RichTextBlock', inlines: runs.filter((r) => r.text !== '').map(textRun), ...options };
}

/** `{{DATE(…)}} {{TIME(…)}}`: Teams shows the instant in the reader's own time zone and locale. */
export function localTime(iso: string, withDate = true): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return 'an unknown time';
  const rfc = `${new Date(ms).toISOString().slice(0, 19)}Z`;
  return withDate ? `{{DATE(${rfc}, SHORT)}} {{TIME(${rfc})}}` : `{{TIME(${rfc})}}`;
}

export function submitAction(
  title: string,
  data: Record<string, unknown>,
  options: Record<string, unknown> = {},
): CardElement {
  return { type: 'Action.Submit', title, data, ...options };
}

/** A button that opens a dialog (task module) through `task/fetch` with `data.verb`. */
export function dialogAction(title: string, data: Record<string, unknown>): CardElement {
  return { type: 'Action.Submit', title, data: { ...data, msteams: { type: 'task/fetch' } } };
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
