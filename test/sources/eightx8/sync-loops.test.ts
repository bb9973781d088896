import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { startSyncLoops } from '../../../src/sources/eightx8/sync-loops.js';
import { watermarkKey } from '../../../src/sources/eightx8/sync-state.js';
import { freshnessKey } from '../../../src/store/sync-health.js';
import { type FakeEightX8Api, makeAuditItems, startFakeEightX8Api } from '../../fakes/eightx8-api.js';
import { startTestAuditbot, type TestAuditbot } from '../../helpers/auditbot.js';

const DAY = 86_400_000;
let fake: FakeEightX8Api;
let auditbot: TestAuditbot;
afterEach(async () => {
  await fake.close();
  await auditbot.dispose();
});

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('startSyncLoops (what `auditbot serve` runs)', () => {
  it('runs one loop per tenant × service × region, logs a failing one without stopping the others, and stops cleanly', async () => {
    fake = await startFakeEightX8Api();
    const now = Date.now();
    fake.add(makeAuditItems({ count: 120, start: now - 30 * DAY, end: now - 1000, customerId: 'cust-1' }));
    fake.add(
      makeAuditItems({
        count: 30,
        start: now - 5 * DAY,
        end: now - 1000,
        customerId: 'cust-1',
        service: 'vccss',
        prefix: 'cc',
      }),
    );
    const source = { apiKey: 'test-api-key', baseUrl: fake.url };
    const configFile = join(process.env.TMPDIR ?? '/tmp', `auditbot-loops-${process.pid}.json`);
    writeFileSync(
      configFile,
      JSON.stringify({
        tenants: [
          {
            customerId: 'cust-1',
            eightx8: [
              { service: 'platform', ...source },
              { service: 'vccss', region: 'uk-eu', ...source },
            ],
          },
          { customerId: 'revoked', eightx8: [{ service: 'platform', apiKey: 'revoked-key', baseUrl: fake.url }] },
        ],
      }),
    );
    auditbot = await startTestAuditbot({ AUDITBOT_CONFIG: configFile, EIGHTX8_POLL_SECONDS: '1' }, Date.now);
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });

    const loops = startSyncLoops({ auditbot, config: auditbot.config, logger });
    const all = { customerId: 'cust-1', range: { start: 0, end: Number.MAX_SAFE_INTEGER } };
    await eventually(async () => (await auditbot.store.count(all)) === 150, 'both streams stored');
    await eventually(async () => (await auditbot.store.getState(freshnessKey('cust-1'))) !== null, 'freshness');
    await eventually(
      async () => lines.some((l) => l.includes('"sync":"revoked/platform"') && l.includes('API key rejected')),
      'the 401 logged',
    );
    await loops.stop();

    const cc = await auditbot.store.get('cust-1', 'cc-0');
    expect(cc).toMatchObject({ service: 'vccss', region: 'uk-eu' });
    const platformMark = await auditbot.store.getState<string>(
      watermarkKey({ customerId: 'cust-1', service: 'platform', region: null }),
    );
    const ccMark = await auditbot.store.getState<string>(
      watermarkKey({ customerId: 'cust-1', service: 'vccss', region: 'uk-eu' }),
    );
    const freshness = await auditbot.store.getState<string>(freshnessKey('cust-1'));
    // The tenant is complete up to its least advanced stream.
    expect(freshness).toBe([platformMark, ccMark].sort()[0]);
    expect(await auditbot.store.getState(freshnessKey('revoked'))).toBeNull();
    expect(lines.join('\n')).not.toContain('test-api-key');
    expect(lines.join('\n')).not.toContain('revoked-key');

    // Stopped means stopped: no request after stop() resolved.
    const requests = fake.requests.length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(fake.requests.length).toBe(requests);
  });
});
