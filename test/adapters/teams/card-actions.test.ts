import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NOW, platformEvent, userEvent } from '../../helpers/auditbot.js';
import {
  adaptiveCardsOf,
  cardProblems,
  cardText,
  findElements,
  STRANGER,
  startTeamsHarness,
  type TeamsHarness,
} from './harness.js';

let h: TeamsHarness;
const MINUTE = 60_000;

beforeAll(async () => {
  h = await startTeamsHarness({ now: NOW, auditbotEnv: { AUDITBOT_PAGE_SIZE: '2' } });
  await h.auditbot.store.append([
    userEvent('u-alice', 'Alice Martin'),
    ...Array.from({ length: 5 }, (_, i) =>
      platformEvent({
        id: `upd-${i}`,
        displayName: `Ring group ${i}`,
        auditTimestamp: new Date(NOW - (i + 1) * MINUTE).toISOString(),
      }),
    ),
    platformEvent({
      id: 'del-1',
      eventType: 'delete',
      displayName: 'Old group',
      auditTimestamp: new Date(NOW - 30 * MINUTE).toISOString(),
    }),
  ]);
});
afterAll(() => h.close());
beforeEach(() => h.connector.reset());

function validCards(cards: Record<string, unknown>[]) {
  for (const card of cards) expect(cardProblems(card)).toEqual([]);
  return cards;
}

function lastCard() {
  const activities = h.connector.activities();
  const call = activities.at(-1);
  const [card] = validCards(adaptiveCardsOf(call?.activity ?? null));
  return { call, card };
}

function submitData(card: unknown, title: string): Record<string, unknown> {
  const action = findElements(card, (o) => o.type === 'Action.Submit' && o.title === title)[0];
  expect(action, `button ${title}`).toBeDefined();
  return action?.data as Record<string, unknown>;
}

/** What Teams sends when someone presses an Action.Submit on the bot's message `replyToId`. */
function pressed(data: Record<string, unknown>, replyToId: string, from?: Record<string, unknown>) {
  const { msteams: _msteams, ...value } = data;
  return h.activity('channel', { text: undefined, value, replyToId, ...(from ? { from } : {}) });
}

function invoke(name: string, data: Record<string, unknown>, from?: Record<string, unknown>) {
  return h.activity('channel', {
    type: 'invoke',
    name,
    value: { data, context: { theme: 'default' } },
    ...(from ? { from } : {}),
  });
}

describe('results card paging', () => {
  it('Next and Previous update the same card in place', async () => {
    await h.post(h.activity('channel', { text: 'audit op:update' }));
    const first = lastCard();
    expect(first.call?.kind).toBe('reply');
    expect(cardText(first.card)).toContain('5 events match');
    expect(cardText(first.card)).toContain('Showing 1–2');
    expect(cardText(first.card)).not.toContain('[Previous page]');
    const next = submitData(first.card, 'Next page');
    expect(next).toMatchObject({ verb: 'audit-page', query: 'op:update', previousCursors: [null] });

    await h.post(pressed(next, 'bot-activity-1'));
    const second = lastCard();
    expect(second.call).toMatchObject({ kind: 'update', targetId: 'bot-activity-1' });
    expect(cardText(second.card)).toContain('Showing 3–4');
    expect(cardText(second.card)).toContain('Ring group 2');

    await h.post(pressed(submitData(second.card, 'Next page'), 'bot-activity-1'));
    const third = lastCard();
    expect(third.call?.kind).toBe('update');
    expect(cardText(third.card)).toContain('Showing 5–5');
    expect(cardText(third.card)).not.toContain('[Next page]');

    await h.post(pressed(submitData(third.card, 'Previous page'), 'bot-activity-1'));
    const back = lastCard();
    expect(back.call?.kind).toBe('update');
    expect(cardText(back.card)).toContain('Showing 3–4');
    expect(h.connector.activities().filter((c) => c.kind !== 'update')).toHaveLength(1);
  });

  it('refuses a non-admin pressing Next on someone else’s card, without touching the card', async () => {
    await h.post(h.activity('channel', { text: 'audit op:update' }));
    const { card } = lastCard();
    h.connector.reset();
    await h.post(pressed(submitData(card, 'Next page'), 'bot-activity-9', STRANGER));
    const calls = h.connector.activities();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.kind).toBe('reply');
    const text = cardText(validCards(adaptiveCardsOf(calls[0]?.activity ?? null))[0]);
    expect(text).toContain('only available to this tenant’s auditbot admins');
    expect(text).not.toContain('Ring group');
  });

  it('retries a throttled (429) send with backoff', async () => {
    h.connector.failNext(429);
    const { status } = await h.post(h.activity('personal', { text: 'audit op:delete' }));
    expect(status).toBe(200);
    expect(h.connector.failures()).toBe(1);
    expect(cardText(lastCard().card)).toContain('1 event match');
  });
});

describe('filter dialog', () => {
  it('Refine opens the dialog prefilled from the query (task/fetch invoke response)', async () => {
    const { status, body } = await h.post(
      invoke('task/fetch', { verb: 'audit-filter', query: 'op:delete,update when:7d Sales' }),
    );
    expect(status).toBe(200);
    const task = (
      body as { task: { type: string; value: { title: string; card: { content: Record<string, unknown> } } } }
    ).task;
    expect(task.type).toBe('continue');
    expect(task.value.title).toBe('Filter audit events');
    const form = task.value.card.content;
    validCards([form]);
    const input = (id: string) => findElements(form, (o) => o.id === id)[0];
    expect(input('ops')).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true, value: 'delete,update' });
    expect(input('entities')).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true });
    expect(input('when')).toMatchObject({ value: '7d' });
    expect(input('since')).toMatchObject({ type: 'Input.Date' });
    expect(input('text')).toMatchObject({ value: 'Sales' });
    expect(input('region')).toBeUndefined();
    expect(h.connector.activities()).toEqual([]);
  });

  it('`audit filter` in a chat offers the dialog button', async () => {
    await h.post(h.activity('groupChat', { text: 'audit filter op:delete' }));
    const { card } = lastCard();
    const open = findElements(card, (o) => o.type === 'Action.Submit' && o.title === 'Open filters')[0];
    expect(open?.data).toEqual({ verb: 'audit-filter', query: 'op:delete', msteams: { type: 'task/fetch' } });
  });

  it('re-shows the form with the message when the input is invalid', async () => {
    const { body } = await h.post(
      invoke('task/submit', { verb: 'audit-filter-submit', query: '', when: '7d', since: '2026-11-01', ops: 'delete' }),
    );
    const task = (body as { task: { type: string; value: { card: { content: Record<string, unknown> } } } }).task;
    expect(task.type).toBe('continue');
    const form = task.value.card.content;
    validCards([form]);
    expect(cardText(form)).toContain('When: Choose a preset or a custom start/end, not both.');
    expect(findElements(form, (o) => o.id === 'ops')[0]).toMatchObject({ value: 'delete' });
    expect(h.connector.activities()).toEqual([]);
  });

  it('a valid submission closes the dialog and posts results into the conversation', async () => {
    const { status, body } = await h.post(
      invoke('task/submit', {
        verb: 'audit-filter-submit',
        query: '',
        when: '24h',
        ops: 'delete',
        app: '',
        who: '',
        entities: '',
        text: '',
      }),
    );
    expect(status).toBe(200);
    expect(body).toBeNull();
    const { call, card } = lastCard();
    expect(call?.kind).toBe('reply');
    expect(cardText(card)).toContain('1 event match');
    expect(cardText(card)).toContain('Old group');
  });

  it('refuses a non-admin in the dialog itself, fetch and submit', async () => {
    const fetched = await h.post(invoke('task/fetch', { verb: 'audit-filter', query: '' }, STRANGER));
    expect(fetched.body).toMatchObject({
      task: { type: 'message', value: expect.stringContaining('only available to this tenant’s auditbot admins') },
    });
    const submitted = await h.post(
      invoke('task/submit', { verb: 'audit-filter-submit', query: '', ops: 'delete' }, STRANGER),
    );
    expect(submitted.body).toMatchObject({
      task: { type: 'message', value: expect.stringContaining('only available') },
    });
    expect(h.connector.activities()).toEqual([]);
  });
});
