import type { types } from '@slack/bolt';
import type { FilterFormReply, FilterValues, Person } from '../../../src/replies/reply.js';
import { FILTER_MODAL_CALLBACK } from '../action-values.js';
import { context, cutPlain, escapeCut, LIMITS, plain } from './text.js';

/** Every input's action_id; the block_id names the FilterValues field it fills. */
export const FIELD_ACTION = 'value';
export const SHARE_BLOCK = 'share';
/** Slack caps an option value at 150 characters. */
const OPTION_VALUE_MAX = 150;

type Option = types.PlainTextOption;

const APP_LABELS: Record<'platform' | 'cc', string> = { platform: 'Platform (Admin Console)', cc: 'Contact Center' };
const PRESET_LABELS: Record<string, string> = {
  today: 'Today',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
};

function option(label: string, value: string): Option {
  return { text: plain(label, LIMITS.optionText), value };
}

function modalShell(blocks: types.KnownBlock[], metadata: string, withSubmit: boolean): types.ModalView {
  const view: types.ModalView = {
    type: 'modal',
    callback_id: FILTER_MODAL_CALLBACK,
    title: plain('Filter audit events', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    blocks,
    private_metadata: metadata,
  };
  if (withSubmit) view.submit = plain('Search', LIMITS.modalTitle);
  return view;
}

/** Opened at once with the trigger_id; replaced by the form as soon as its choices are read. */
export function renderLoadingModal(metadata: string): types.ModalView {
  return modalShell(
    [{ type: 'section', text: { type: 'mrkdwn', text: ':hourglass_flowing_sand: Loading the filter choices…' } }],
    metadata,
    false,
  );
}

/** A modal that only says something (a refusal or an error instead of the form). */
export function renderMessageModal(text: string, metadata: string): types.ModalView {
  return modalShell(
    [{ type: 'section', text: { type: 'mrkdwn', text: escapeCut(text, LIMITS.sectionText) } }],
    metadata,
    false,
  );
}

function selectInput(
  blockId: string,
  label: string,
  options: Option[],
  initial: string | null,
  placeholder: string,
): types.InputBlock {
  const element: types.StaticSelect = {
    type: 'static_select',
    action_id: FIELD_ACTION,
    options,
    placeholder: plain(placeholder, 150),
  };
  const chosen = options.find((o) => o.value === initial);
  if (chosen) element.initial_option = chosen;
  return { type: 'input', block_id: blockId, optional: true, label: plain(label, 2000), element };
}

/** Options from known choices plus the prefilled values the store does not know, ≤100, values ≤150. */
function multiOptions(choices: Option[], initial: string[]): { options: Option[]; selected: Option[] } | null {
  const options = [...choices];
  for (const value of initial) {
    if (!options.some((o) => o.value === value)) options.push(option(value, value));
  }
  const usable = options.filter(
    (o) => o.value !== undefined && o.value.length <= OPTION_VALUE_MAX && o.value.length > 0,
  );
  if (usable.length === 0 || usable.length > LIMITS.options) return null;
  return { options: usable, selected: usable.filter((o) => o.value !== undefined && initial.includes(o.value)) };
}

/** A multi-select, or a comma-separated text input when there are too many choices for one. */
function multiInput(
  blockId: string,
  label: string,
  choices: Option[],
  initial: string[],
  placeholder: string,
): types.InputBlock {
  const fitted = multiOptions(choices, initial);
  if (!fitted) {
    const element: types.PlainTextInput = {
      type: 'plain_text_input',
      action_id: FIELD_ACTION,
      placeholder: plain(`${placeholder} (comma-separated)`, 150),
    };
    const text = initial.join(', ');
    if (text && text.length <= 3000) element.initial_value = text;
    return { type: 'input', block_id: blockId, optional: true, label: plain(label, 2000), element };
  }
  const element: types.MultiStaticSelect = {
    type: 'multi_static_select',
    action_id: FIELD_ACTION,
    options: fitted.options,
    placeholder: plain(placeholder, 150),
  };
  if (fitted.selected.length) element.initial_options = fitted.selected;
  return { type: 'input', block_id: blockId, optional: true, label: plain(label, 2000), element };
}

function dateInput(blockId: string, label: string, initial: string | null): types.InputBlock {
  const element: types.Datepicker = {
    type: 'datepicker',
    action_id: FIELD_ACTION,
    placeholder: plain('Pick a date (UTC)', 150),
  };
  if (initial) element.initial_date = initial;
  return { type: 'input', block_id: blockId, optional: true, label: plain(label, 2000), element };
}

/** `2026-11-01…` → `2026-11-01`; a duration (`7d`) → the date it points at from `now`. */
export function datePickerValue(value: string | null, now: number): string | null {
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  const match = /^(\d+)([mhdw])$/.exec(value);
  if (!match) return null;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }[match[2] as 'm' | 'h' | 'd' | 'w'];
  return new Date(now - Number(match[1]) * unit).toISOString().slice(0, 10);
}

function personOption(p: Person): Option {
  return option(p.name ? `${p.name} (${p.id})` : p.id, p.id);
}

/** The filter form, prefilled from the typed query: app, region (several only), when, who, ops, entities, text. */
export function renderFilterModal(
  r: FilterFormReply,
  options: { metadata: string; now: number; public?: boolean },
): types.ModalView {
  const v: FilterValues = r.values;
  const blocks: types.KnownBlock[] = [];
  if (r.error) blocks.push(context(`:warning: ${escapeCut(r.error, 2000)}`));
  blocks.push(
    selectInput(
      'app',
      'Application',
      [option(APP_LABELS.platform, 'platform'), option(APP_LABELS.cc, 'cc')],
      v.app,
      'Any application',
    ),
  );
  if (r.choices.regions.length > 1) {
    const regions = r.choices.regions.slice(0, LIMITS.options).map((region) => option(region, region));
    blocks.push(selectInput('region', 'Region', regions, v.region, 'Any region'));
  }
  const presets = r.choices.presets.map((p) => option(PRESET_LABELS[p] ?? p, p));
  blocks.push(
    selectInput('when', 'When', presets, v.when, 'Whole retention window'),
    dateInput('since', 'Or from (start date)', datePickerValue(v.since, options.now)),
    dateInput('until', 'Until (end date)', datePickerValue(v.until, options.now)),
    multiInput('who', 'Who', r.choices.actors.map(personOption), v.who, 'Anyone'),
    multiInput(
      'ops',
      'Operations',
      r.choices.operations.map((op) => option(op, op)),
      v.ops,
      'Any operation',
    ),
    multiInput(
      'entities',
      'Impacted entity',
      r.choices.entityTypes.map((t) => option(t, t)),
      v.entities,
      'Any entity type',
    ),
  );
  const text: types.PlainTextInput = {
    type: 'plain_text_input',
    action_id: FIELD_ACTION,
    placeholder: plain('Names, keys, words or query syntax', 150),
  };
  if (v.text) text.initial_value = cutPlain(v.text, 3000);
  blocks.push({ type: 'input', block_id: 'text', optional: true, label: plain('Search text', 2000), element: text });
  const share = option('Post the results in the channel', 'public');
  const checkboxes: types.Checkboxes = { type: 'checkboxes', action_id: FIELD_ACTION, options: [share] };
  if (options.public) checkboxes.initial_options = [share];
  blocks.push({
    type: 'input',
    block_id: SHARE_BLOCK,
    optional: true,
    label: plain('Visibility', 2000),
    element: checkboxes,
  });
  return modalShell(blocks, options.metadata, true);
}
