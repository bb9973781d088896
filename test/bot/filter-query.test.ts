import { describe, expect, it } from 'vitest';
import { queryFromFilterValues } from '../../src/bot/filter-query.js';
import type { FilterValues } from '../../src/replies/reply.js';

const empty: FilterValues = {
  app: null,
  region: null,
  when: null,
  since: null,
  until: null,
  who: [],
  ops: [],
  entities: [],
  text: '',
};

describe('queryFromFilterValues', () => {
  it('turns form values into canonical query text', () => {
    const result = queryFromFilterValues({
      ...empty,
      app: 'cc',
      region: 'UK-EU',
      when: '7d',
      who: ['Alice Martin'],
      ops: ['delete', 'bulk'],
      entities: ['queue'],
      text: 'Billing',
    });
    expect(result).toEqual({
      ok: true,
      text: 'who:"Alice Martin" op:delete,bulk entity:queue app:cc region:uk-eu when:7d Billing',
    });
  });

  it('accepts custom start and end dates', () => {
    expect(queryFromFilterValues({ ...empty, since: '2026-11-01', until: '2026-11-20' })).toEqual({
      ok: true,
      text: 'since:2026-11-01 until:2026-11-20',
    });
  });

  it('merges query syntax typed into the search text', () => {
    expect(queryFromFilterValues({ ...empty, ops: ['delete'], text: 'op:update Sales' })).toEqual({
      ok: true,
      text: 'op:update,delete Sales',
    });
  });

  it('an empty form is the empty query', () => {
    expect(queryFromFilterValues(empty)).toEqual({ ok: true, text: '' });
  });

  it.each([
    [{ since: 'yesterday-ish' }, 'since'],
    [{ until: '2026-13-45' }, 'until'],
    [{ when: '7d', since: '2026-11-01' }, 'when'],
    [{ ops: ['delet'] }, 'ops'],
    [{ region: 'mars' }, 'region'],
    [{ text: 'usr:alice' }, 'text'],
  ] as const)('reports %j on the %s field', (values, field) => {
    const result = queryFromFilterValues({ ...empty, ...values } as FilterValues);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field]).toBeTruthy();
  });
});
