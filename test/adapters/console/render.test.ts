import { describe, expect, it } from 'vitest';
import { renderText } from '../../../adapters/console/render.js';
import { COLOR, PLAIN } from '../../../adapters/console/render-changes.js';
import { helpReply } from '../../../src/replies/help.js';
import type { EventDetailReply, EventListReply } from '../../../src/replies/reply.js';
import { summarizeEvent } from '../../../src/replies/summarize.js';
import { platformEvent } from '../../helpers/auditbot.js';

const event = platformEvent({
  id: 'e1',
  eventType: 'delete',
  displayName: 'Sales – EMEA',
  auditUserId: 'u-a',
  impersonator: 'SUP-81',
  auditTimestamp: '2026-11-26T10:15:00.000Z',
});
const names = new Map([['u-a', 'Alice Martin']]);

const list: EventListReply = {
  kind: 'event-list',
  query: 'op:delete',
  window: { start: '2026-11-19T12:00:00.000Z', end: '2026-11-26T12:00:00.001Z' },
  clampedToRetention: false,
  total: 1,
  totalIsLowerBound: false,
  events: [summarizeEvent(event, names)],
  page: 1,
  pageSize: 10,
  cursor: null,
  nextCursor: null,
  previousCursors: [],
  freshness: { completeUpTo: '2026-11-26T10:15:00.000Z', basis: 'newest ingest event' },
};

describe('renderText', () => {
  it('renders an event list with the impersonator first and the window', () => {
    const text = renderText(list);
    expect(text).toContain('1 event matches `op:delete`');
    expect(text).toContain('2026-11-26 10:15 UTC  SUP-81 acting as Alice Martin deleted ring group "Sales – EMEA"');
    expect(text).toContain('data complete up to 2026-11-26 10:15 UTC');
    expect(text).toContain('id e1');
  });

  it('says which window was searched when nothing matched', () => {
    const text = renderText({ ...list, total: 0, events: [] });
    expect(text).toMatch(/No events match `op:delete` between 2026-11-19 12:00 UTC and 2026-11-26 12:00 UTC/);
  });

  it('renders changes red and green on a TTY, plain otherwise', () => {
    const detail: EventDetailReply = {
      kind: 'event-detail',
      summary: summarizeEvent(event, names),
      event,
      changes: {
        basis: 'old-new',
        changes: [
          { path: 'huntPolicy', kind: 'changed', old: 'round-robin', new: 'simultaneous' },
          { path: 'timeout', kind: 'added', new: 30 },
          { path: 'members', kind: 'removed', old: ['u-1', 'u-2'] },
        ],
      },
      editUrl: 'https://admin.example/rg/1',
      expanded: true,
    };
    const plain = renderText(detail, PLAIN);
    expect(plain).toContain('- huntPolicy: round-robin\n+ huntPolicy: simultaneous');
    expect(plain).toContain('+ timeout: 30');
    expect(plain).toContain('- members: ["u-1","u-2"]');
    expect(plain).toContain('Edit in Admin Console: https://admin.example/rg/1');
    const colored = renderText(detail, COLOR);
    expect(colored).toContain('\u001b[31m- huntPolicy: round-robin\u001b[0m');
    expect(colored).toContain('\u001b[32m+ huntPolicy: simultaneous\u001b[0m');
  });

  it('renders help with every command and qualifier', () => {
    const text = renderText(helpReply());
    for (const word of ['show <eventId>', 'report <query>', 'who:<name|id>', 'when:today|24h|7d|30d|90d'])
      expect(text).toContain(word);
  });
});
