import type { AuditEvent } from '../../../src/domain/audit-event.js';
import { createLogger } from '../../../src/logger.js';
import {
  type OnceOptions,
  type SyncEnvironment,
  syncAllOnce,
  type TargetOutcome,
} from '../../../src/sources/eightx8/sync-loops.js';
import type { SyncSummary } from '../../../src/sources/eightx8/sync-runner.js';
import { type FakeEightX8Api, startFakeEightX8Api } from '../../fakes/eightx8-api.js';
import { NOW, startTestAuditbot, type TestAuditbot } from '../../helpers/auditbot.js';

export const DAY = 86_400_000;
export const CUSTOMER = 'cust-1';

/**
 * A real auditbot on a SQLite file, a fake 8x8 API, and virtual time: `sleep` advances the clock
 * instantly and records each wait, so backoff and rate limits are checked without real waiting.
 */
export interface SyncHarness {
  fake: FakeEightX8Api;
  auditbot: TestAuditbot;
  clock: { now: number };
  sleeps: number[];
  env: SyncEnvironment;
  syncOnce(options?: OnceOptions): Promise<SyncSummary>;
  outcomes(options?: { signal?: AbortSignal }): Promise<TargetOutcome[]>;
  storedEvents(): Promise<AuditEvent[]>;
  dispose(): Promise<void>;
}

/** `env` values that are undefined remove the harness's own setting (e.g. to get a default back). */
export async function startSyncHarness(env: Record<string, string | undefined> = {}): Promise<SyncHarness> {
  const clock = { now: NOW };
  const now = () => clock.now;
  const sleeps: number[] = [];
  const fake = await startFakeEightX8Api({ clock: now });
  const merged = {
    EIGHTX8_API_KEY: 'test-api-key',
    EIGHTX8_API_URL: fake.url,
    EIGHTX8_RATE_LIMIT_PER_MINUTE: '0',
    ...env,
  };
  const defined = Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const auditbot = await startTestAuditbot(Object.fromEntries(defined), now);
  const syncEnv: SyncEnvironment = {
    store: auditbot.store,
    config: auditbot.config,
    logger: createLogger({ level: 'silent' }),
    clock: now,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      clock.now += ms;
    },
  };
  const outcomes = (options = {}) => syncAllOnce(syncEnv, options);
  return {
    fake,
    auditbot,
    clock,
    sleeps,
    env: syncEnv,
    outcomes,
    async syncOnce(options = {}) {
      const [outcome] = await syncAllOnce(syncEnv, options);
      if (!outcome) throw new Error('no 8x8 target configured');
      if ('error' in outcome) throw outcome.error;
      return outcome.summary;
    },
    async storedEvents() {
      const events: AuditEvent[] = [];
      const filter = { customerId: CUSTOMER, range: { start: 0, end: Number.MAX_SAFE_INTEGER } };
      for await (const event of auditbot.store.stream(filter)) events.push(event);
      return events;
    },
    async dispose() {
      await fake.close();
      await auditbot.dispose();
    },
  };
}
