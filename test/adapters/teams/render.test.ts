import { describe, expect, it } from 'vitest';
import { CARD_BYTE_BUDGET, cardBytes } from '../../../adapters/teams/render/card.js';
import { renderEventList } from '../../../adapters/teams/render/event-list.js';
import type { ChangeSet } from '../../../src/domain/changes.js';
import type { EventListReply } from '../../../src/replies/reply.js';
import { cardProblems, cardText } from './harness.js';

function bigPage(events: number, changesEach: number): { reply: EventListReply; changes: Map<string, ChangeSet> } {
  const summaries = Array.from({ length: events }, (_, i) => ({
    id: `evt-${i}`,
    time: '2026-11-26T10:00:00.000Z',
    eventType: 'update' as const,
    service: 'platform',
    entityType: 'user',
    entityKey: `u-${i}`,
    entityName: `User ${i} ${'x'.repeat(300)}`,
    actor: { id: 'u-alice', name: 'Alice Martin' },
    impersonator: null,
    region: null,
    accessMethod: 'API',
    correlation: null,
  }));
  const changes = new Map<string, ChangeSet>(
    summaries.map((s) => [
      s.id,
      {
        basis: 'old-new',
        changes: Array.from({ length: changesEach }, (_, j) => ({
          path: `settings.attr${j}`,
          kind: 'changed' as const,
          old: 'o'.repeat(150),
          new: 'n'.repeat(150),
        })),
      },
    ]),
  );
  const reply: EventListReply = {
    kind: 'event-list',
    query: 'when:7d',
    window: { start: '2026-11-19T12:00:00.000Z', end: '2026-11-26T12:00:00.000Z' },
    clampedToRetention: false,
    total: 5000,
    totalIsLowerBound: false,
    events: summaries,
    page: 1,
    pageSize: events,
    cursor: null,
    nextCursor: 'c2',
    previousCursors: [],
    freshness: { completeUpTo: '2026-11-26T11:00:00.000Z', basis: 'api' },
  };
  return { reply, changes };
}

describe('results card size', () => {
  it('cuts diff lines to stay under the Teams budget and says how many are left out', () => {
    const { reply, changes } = bigPage(10, 40);
    const card = renderEventList(reply, changes);
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTE_BUDGET);
    expect(cardText(card)).toMatch(/… \d+ more changes — send/);
    expect(cardText(card)).toContain('User 9');
    expect(cardProblems(card as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('drops events last when even bare events do not fit, with "… N more"', () => {
    const { reply, changes } = bigPage(20, 5);
    const card = renderEventList(reply, changes, 8 * 1024);
    expect(cardBytes(card)).toBeLessThanOrEqual(8 * 1024);
    expect(cardText(card)).toMatch(/… \d+ more events on this page did not fit/);
  });
});
