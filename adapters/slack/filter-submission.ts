import { z } from 'zod';
import type { FilterValues } from '../../src/replies/reply.js';
import { FIELD_ACTION, SHARE_BLOCK } from './render/filter-modal.js';

/** One input's state as Slack sends it in view_submission (`view.state.values[block][action]`). */
const InputState = z
  .object({
    value: z.string().nullish(),
    selected_date: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).nullish(),
    selected_options: z.array(z.object({ value: z.string() })).nullish(),
  })
  .loose();
const StateValues = z.record(z.string(), z.record(z.string(), InputState));

export interface FilterSubmission {
  values: FilterValues;
  public: boolean;
}

function list(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The modal's state → FilterValues (validation happens in queryFromFilterValues). */
export function filterSubmission(stateValues: unknown): FilterSubmission {
  const parsed = StateValues.safeParse(stateValues);
  const state = parsed.success ? parsed.data : {};
  const input = (block: string) => state[block]?.[FIELD_ACTION];
  const selected = (block: string) => input(block)?.selected_option?.value ?? null;
  const many = (block: string) => {
    const i = input(block);
    return i?.selected_options ? i.selected_options.map((o) => o.value) : list(i?.value);
  };
  const app = selected('app');
  return {
    values: {
      app: app === 'platform' || app === 'cc' ? app : null,
      region: selected('region'),
      when: selected('when'),
      since: input('since')?.selected_date ?? null,
      until: input('until')?.selected_date ?? null,
      who: many('who'),
      ops: many('ops'),
      entities: many('entities'),
      text: input('text')?.value ?? '',
    },
    public: (input(SHARE_BLOCK)?.selected_options ?? []).some((o) => o.value === 'public'),
  };
}
