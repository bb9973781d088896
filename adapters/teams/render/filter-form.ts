import type { FilterFormReply, FilterValues } from '../../../src/replies/reply.js';
import { personLabel } from '../../../src/replies/summarize.js';
import { VERBS } from '../verbs.js';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardElement,
  cleanText,
  dialogAction,
  richText,
  textBlock,
} from './card.js';

/** Input ids of the filter dialog; a `task/submit` carries them back as `data[id]`. */
export const FILTER_INPUTS = ['app', 'region', 'when', 'since', 'until', 'who', 'ops', 'entities', 'text'] as const;

/** Adaptive Cards reject a choice with an empty value, so "no filter" has a name of its own. */
const ANY = 'any';

const APP_CHOICES = [
  { title: 'Any application', value: ANY },
  { title: 'Admin Console (UC)', value: 'platform' },
  { title: 'Contact Center', value: 'cc' },
];

const PRESET_TITLES: Record<string, string> = {
  today: 'Today',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const choice = (title: string, value: string) => ({ title: cleanText(title, 120), value });

/** Choices plus any prefilled value the store does not list, so prefilling never loses a filter. */
function withSelected(choices: { title: string; value: string }[], selected: string[]) {
  const known = new Set(choices.map((c) => c.value));
  return [...choices, ...selected.filter((v) => !known.has(v)).map((v) => choice(v, v))];
}

function label(text: string): CardElement {
  return textBlock(text, { weight: 'Bolder', spacing: 'Medium' });
}

/** Teams' multi-select ChoiceSet and our FilterValues speak comma lists both ways. */
function joined(values: string[]): string {
  return values.join(',');
}

/** The filter dialog's form, prefilled; `error` (from a rejected submission) is shown on top. */
export function renderFilterForm(reply: FilterFormReply, originalQuery: string): AdaptiveCard {
  const v: FilterValues = reply.values;
  const body: CardElement[] = [];
  if (reply.error) body.push(richText([{ text: reply.error, color: 'attention', weight: 'Bolder' }]));
  body.push(label('Application'), {
    type: 'Input.ChoiceSet',
    id: 'app',
    style: 'compact',
    value: v.app ?? ANY,
    choices: APP_CHOICES,
  });
  if (reply.choices.regions.length > 1 || v.region) {
    body.push(label('Region'), {
      type: 'Input.ChoiceSet',
      id: 'region',
      style: 'compact',
      value: v.region ?? ANY,
      choices: [
        choice('Any region', ANY),
        ...withSelected(
          reply.choices.regions.map((r) => choice(r, r)),
          v.region ? [v.region] : [],
        ),
      ],
    });
  }
  body.push(label('When'), {
    type: 'Input.ChoiceSet',
    id: 'when',
    style: 'compact',
    value: v.when ?? ANY,
    choices: [
      choice('Whole retention window, or the dates below', ANY),
      ...reply.choices.presets.map((p) => choice(PRESET_TITLES[p] ?? p, p)),
    ],
  });
  body.push({
    type: 'ColumnSet',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          {
            type: 'Input.Date',
            id: 'since',
            label: 'From (UTC)',
            ...(v.since && ISO_DATE.test(v.since) ? { value: v.since } : {}),
          },
        ],
      },
      {
        type: 'Column',
        width: 'stretch',
        items: [
          {
            type: 'Input.Date',
            id: 'until',
            label: 'Until (UTC)',
            ...(v.until && ISO_DATE.test(v.until) ? { value: v.until } : {}),
          },
        ],
      },
    ],
  });
  const actorChoices = reply.choices.actors.map((a) => choice(a.name ? `${personLabel(a)} (${a.id})` : a.id, a.id));
  body.push(label('Who'), {
    type: 'Input.ChoiceSet',
    id: 'who',
    isMultiSelect: true,
    style: 'filtered',
    placeholder: 'Anyone',
    value: joined(v.who),
    choices: withSelected(actorChoices, v.who),
  });
  body.push(label('Operations'), {
    type: 'Input.ChoiceSet',
    id: 'ops',
    isMultiSelect: true,
    style: 'compact',
    placeholder: 'Any operation',
    value: joined(v.ops),
    choices: withSelected(
      reply.choices.operations.map((o) => choice(o, o)),
      v.ops,
    ),
  });
  body.push(label('Impacted entity'), {
    type: 'Input.ChoiceSet',
    id: 'entities',
    isMultiSelect: true,
    style: 'filtered',
    placeholder: 'Any entity type',
    value: joined(v.entities),
    choices: withSelected(
      reply.choices.entityTypes.map((t) => choice(t, t)),
      v.entities,
    ),
  });
  body.push(label('Search text'), {
    type: 'Input.Text',
    id: 'text',
    placeholder: 'Names, keys, values — or more qualifiers like key:rg-7',
    value: v.text,
    maxLength: 500,
  });
  return adaptiveCard(body, [
    {
      type: 'Action.Submit',
      title: 'Search',
      style: 'positive',
      data: { verb: VERBS.filterSubmit, query: originalQuery },
    },
  ]);
}

/** `audit filter` typed in a chat: a bot cannot open a dialog unprompted, so it offers the button. */
export function renderFilterLauncher(query: string): AdaptiveCard {
  return adaptiveCard(
    [
      textBlock('Filter audit events', { size: 'Medium', weight: 'Bolder' }),
      richText([
        { text: 'Starting from ', subtle: true },
        { text: query || '(everything)', monospace: true },
      ]),
    ],
    [dialogAction('Open filters', { verb: VERBS.filter, query })],
  );
}

/** A `task/submit` payload → FilterValues (multi-selects arrive as comma lists, empty means any). */
export function filterValuesFromSubmit(data: Record<string, unknown>): FilterValues {
  const text = (key: (typeof FILTER_INPUTS)[number]) => {
    const value = data[key];
    const trimmed = typeof value === 'string' ? value.trim() : '';
    return trimmed === ANY && (key === 'app' || key === 'region' || key === 'when') ? '' : trimmed;
  };
  const list = (key: (typeof FILTER_INPUTS)[number]) =>
    text(key)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const app = text('app');
  return {
    app: app === 'platform' || app === 'cc' ? app : null,
    region: text('region') || null,
    when: text('when') || null,
    since: text('since') || null,
    until: text('until') || null,
    who: list('who'),
    ops: list('ops'),
    entities: list('entities'),
    text: text('text'),
  };
}
