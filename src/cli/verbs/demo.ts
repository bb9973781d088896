import type { AppConfig } from '../../config.js';
import { openEventStore } from '../../store/open-store.js';
import { DEFAULT_DEMO_EVENTS, loadDemoEvents } from '../demo-loader.js';
import { parseVerbArgs, UsageError } from '../usage.js';

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number, not "${value}"`);
  return n;
}

/** `demo [--count N] [--seed N]`: deterministic demo events for the default tenant (idempotent). */
export async function demoVerb(args: string[], config: AppConfig): Promise<number> {
  const { values } = parseVerbArgs(args, { count: { type: 'string' }, seed: { type: 'string' } }, false);
  const count = positiveInt('count', values.count, DEFAULT_DEMO_EVENTS);
  const seed = positiveInt('seed', values.seed, 1);
  const store = await openEventStore(config.databaseUrl);
  try {
    const result = await loadDemoEvents(store, config.defaultTenant.customerId, { now: Date.now(), count, seed });
    process.stdout.write(
      `${result.inserted} demo events stored (${result.duplicate} already present) for ${config.defaultTenant.customerId}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
