import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NOW, platformEvent, userEvent } from '../../helpers/auditbot.js';
import {
  adaptiveCardsOf,
  cardProblems,
  cardText,
  findElements,
  mentionOverrides,
  type Scope,
  STRANGER,
  startTeamsHarness,
  type TeamsHarness,
} from './harness.js';

let h: TeamsHarness;
const HOUR = 3_600_000;

beforeAll(async () => {
  h = await startTeamsHarness({ now: NOW });
  await h.auditbot.store.append([
    userEvent('u-alice', 'Alice Martin'),
    platformEvent({
      id: 'del-sales',
      eventType: 'delete',
      displayName: 'Sales *EMEA* [x](http://evil)',
      entityKey: 'rg-sales',
      impersonator: 'SUP-81',
      auditTimestamp: new Date(NOW - 2 * HOUR).toISOString(),
      details: { old: { name: 'Sales', members: ['u-1', 'u-2'] } },
    }),
    platformEvent({
      id: 'upd-support',
      displayName: 'Support',
      entityKey: 'rg-support',
      auditTimestamp: new Date(NOW - 3 * HOUR).toISOString(),
      details: {
        old: { huntPolicy: 'round-robin', timeout: 20 },
        new: { huntPolicy: 'simultaneous', timeout: 20, ringTime: 30 },
      },
    }),
    platformEvent({
      id: 'q-1',
      service: 'vccss',
      region: 'uk-eu',
      eventType: 'create',
      entityType: 'queue',
      entityKey: 'q-7',
      displayName: 'Billing queue',
      auditTimestamp: new Date(NOW - 50 * HOUR).toISOString(),
      details: { name: 'Billing queue', priority: 1 },
    }),
    platformEvent({
      id: 'q-2',
      service: 'vccss',
      region: 'uk-eu',
      eventType: 'update',
      entityType: 'queue',
      entityKey: 'q-7',
      displayName: 'Billing queue',
      auditTimestamp: new Date(NOW - 5 * HOUR).toISOString(),
      details: { name: 'Billing queue', priority: 5 },
    }),
  ]);
});
afterAll(() => h.close());
beforeEach(() => h.connector.reset());

/** The cards of every activity the bot sent since the last reset, each checked against the SDK. */
function sentCards() {
  const cards = h.connector.activities().flatMap((c) => adaptiveCardsOf(c.activity));
  for (const card of cards) expect(cardProblems(card)).toEqual([]);
  return cards;
}

describe('typed commands', () => {
  it.each<[Scope, Record<string, unknown>]>([
    ['personal', { text: 'audit op:delete' }],
    ['personal', { text: 'op:delete' }],
    ['groupChat', { text: 'audit op:delete' }],
    ['groupChat', mentionOverrides('op:delete')],
    ['channel', mentionOverrides('audit op:delete')],
    ['channel', { text: 'Audit   op:delete' }],
  ])('%s %j answers with a results card', async (scope, overrides) => {
    const { status } = await h.post(h.activity(scope, overrides));
    expect(status).toBe(200);
    const [card, ...rest] = sentCards();
    expect(rest).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('1 event match');
    expect(text).toContain('op:delete');
    expect(text).toContain('Alice Martin');
    expect(text).toContain('deleted ring group');
    // User-controlled names travel as TextRuns, which Teams never reads as markdown.
    expect(
      findElements(card, (o) => o.type === 'TextRun' && o.text === '“Sales *EMEA* [x](http://evil)”'),
    ).toHaveLength(1);
  });

  it('ignores channel chatter that is neither `audit …` nor addressed to the bot', async () => {
    const { status } = await h.post(h.activity('channel', { text: 'op:delete please' }));
    expect(status).toBe(200);
    expect(h.connector.activities()).toEqual([]);
  });

  it('answers show, status, whoami and help with cards', async () => {
    for (const text of ['audit show upd-support', 'audit status', 'audit whoami', 'audit help', 'audit']) {
      await h.post(h.activity('personal', { text }));
    }
    const cards = sentCards();
    expect(cards).toHaveLength(5);
    const [show, status, whoami, help, bare] = cards.map(cardText);
    expect(show).toContain('huntPolicy');
    expect(show).toContain('round-robin');
    expect(status).toMatch(/event/i);
    expect(whoami).toContain('aad-admin');
    expect(help).toContain('audit show <eventId>');
    expect(bare).toContain('audit show <eventId>');
  });

  it('answers audit verify with the chain verdict, and shows an event’s chain position', async () => {
    await h.post(h.activity('personal', { text: 'audit verify' }));
    await h.post(h.activity('personal', { text: 'audit show del-sales' }));
    const [verdict, detail] = sentCards().map(cardText);
    expect(verdict).toContain('Audit trail intact');
    expect(verdict).toMatch(/intact: \d+ events, head [0-9a-f]{4}…/);
    expect(detail).toMatch(/position \d+ · hash [0-9a-f]{64}/);
  });

  it('flags impersonation and puts each event’s changes behind Show / Hide changes', async () => {
    await h.post(h.activity('personal', { text: 'audit when:7d' }));
    const [card] = sentCards();
    expect(cardText(card)).toContain('⚠ Impersonated: ');
    expect(cardText(card)).toContain('SUP-81 acting as Alice Martin');
    const hidden = findElements(
      card,
      (o) => o.type === 'Container' && typeof o.id === 'string' && o.id.startsWith('changes-'),
    );
    expect(hidden.length).toBe(4);
    expect(hidden.every((c) => c.isVisible === false)).toBe(true);
    const toggles = findElements(card, (o) => o.type === 'Action.ToggleVisibility');
    expect(toggles.map((t) => t.title)).toEqual(Array(4).fill(['Show changes', 'Hide changes']).flat());
    expect(toggles[0]?.targetElements).toEqual(['changes-0', 'show-0']);
    // upd-support: huntPolicy changed (old in attention, new in good), ringTime added (new only).
    const runs = findElements(hidden[1], (o) => o.type === 'TextRun');
    expect(runs.find((r) => r.text === 'round-robin')).toMatchObject({ color: 'attention', strikethrough: true });
    expect(runs.find((r) => r.text === 'simultaneous')).toMatchObject({ color: 'good' });
    expect(runs.find((r) => r.text === '30')).toMatchObject({ color: 'good' });
    expect(runs.some((r) => r.text === '20')).toBe(false);
    // q-2 is a final-state-only Contact Center event: compared with the previous state.
    expect(cardText(hidden[2])).toContain('Compared with the previous state');
    expect(findElements(hidden[2], (o) => o.type === 'TextRun' && o.text === '1')[0]).toMatchObject({
      color: 'attention',
    });
    // q-1 is the first event auditbot has of that queue.
    expect(cardText(hidden[3])).toContain('First seen');
  });

  it('refuses a non-admin with the bot’s refusal and nothing else', async () => {
    await h.post(h.activity('personal', { text: 'audit op:delete', from: STRANGER }));
    const cards = sentCards();
    expect(cards).toHaveLength(1);
    const text = cardText(cards[0]);
    expect(text).toContain('only available to this tenant’s auditbot admins');
    expect(text).not.toContain('Sales');
  });
});
