import { describe, expect, it } from 'vitest';
import { MAX_RAW_CHARS, rawText } from '../../src/store/quarantine.js';
import type { StoreHarness } from './contract.js';
import { OTHER_TENANT, TENANT } from './fixtures.js';

/** Refused records are kept, once each, per tenant (EventStore.quarantine / quarantined). */
export function describeQuarantineContract(harness: StoreHarness): void {
  describe('quarantine', () => {
    const record = (raw: string, receivedAt: number, customerId = TENANT) => ({
      customerId,
      source: 'eightx8:platform',
      reason: `eventType of ${raw} is not text`,
      raw,
      receivedAt,
    });

    it('keeps each refused record once per tenant and source, newest first, whatever is in its text', async () => {
      const store = harness.store();
      const hostile = rawText({ id: 'nul\u0000 "quote" \u202e', details: 'x'.repeat(MAX_RAW_CHARS * 2) });
      expect(hostile.length).toBe(MAX_RAW_CHARS);
      expect(await store.quarantine([record('{"id":"a"}', 1), record(hostile, 2)])).toBe(2);
      expect(await store.quarantine([record('{"id":"a"}', 3), record('{"id":"b"}', 4)])).toBe(1);
      expect(await store.quarantine([record('{"id":"a"}', 5, OTHER_TENANT)])).toBe(1);
      expect(await store.quarantine([])).toBe(0);

      const kept = await store.quarantined(TENANT, 2);
      expect(kept.count).toBe(3);
      expect(kept.recent.map((r) => r.receivedAt)).toEqual([4, 2]);
      expect(kept.recent[1]?.raw.startsWith('{"id":"nul')).toBe(true);
      expect((await store.quarantined(OTHER_TENANT, 10)).count).toBe(1);
      expect((await store.quarantined('nobody', 10)).count).toBe(0);
    });
  });
}
