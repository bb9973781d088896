import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, platformEvent } from '../../helpers/auditbot.js';
import { allText, checkMessage } from './block-kit-limits.js';
import { buttons, clickPayload, type SlackHarness, startSlackHarness, until } from './harness.js';

/*
 * A search whose canonical text is a sub-command's name: Next, Previous and Share re-send the query
 * as data (a search), never as command text a router would send to `report`, `status`, `help`…
 */
const WORDS = ['report', 'status', 'help', 'alerts', 'show', 'filter', 'whoami', 'search'];
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness({ botEnv: { AUDITBOT_PAGE_SIZE: '2' } });
  await h.auditbot.store.append(
    WORDS.flatMap((word, w) =>
      [1, 2, 3].map((i) =>
        platformEvent({
          id: `${word}-${i}`,
          eventType: 'update',
          displayName: `${word} ${i}`,
          entityKey: `rg-${w}-${i}`,
          auditTimestamp: new Date(NOW - (w * 10 + i) * 60_000).toISOString(),
        }),
      ),
    ),
  );
});
afterAll(() => h.close());

async function response(name: string): Promise<Record<string, unknown>> {
  const body = await until(() => h.responses.to(name)[0]);
  expect(checkMessage(body)).toEqual([]);
  return body;
}

describe('a one-word free-text search stays a search on every page', () => {
  it.each(WORDS)('"%s": Next, Previous and Share page through the same search', async (word) => {
    await h.command(`"${word}"`, { responseName: `${word}-1` });
    const first = await response(`${word}-1`);
    expect(allText(first.blocks)).toContain('Showing 1–2 of 3');

    const next = buttons(first).find((b) => b.text.text === 'Next →');
    await h.action(clickPayload(next as { action_id: string }, { responseName: `${word}-2`, responses: h.responses }));
    const second = await response(`${word}-2`);
    const text = allText(second.blocks);
    expect(text).toContain('Showing 3–3 of 3');
    expect(text).toContain(`${word} 3`);

    const share = buttons(second).find((b) => b.text.text === 'Share in channel');
    await h.action(
      clickPayload(share as { action_id: string }, { responseName: `${word}-shared`, responses: h.responses }),
    );
    const shared = await response(`${word}-shared`);
    expect(shared.response_type).toBe('in_channel');
    expect(allText(shared.blocks)).toContain('Showing 3–3 of 3');

    const prev = buttons(second).find((b) => b.text.text === '← Previous');
    await h.action(
      clickPayload(prev as { action_id: string }, { responseName: `${word}-back`, responses: h.responses }),
    );
    expect(allText((await response(`${word}-back`)).blocks)).toContain('Showing 1–2 of 3');
  });
});
