import type { AuditEvent } from '../domain/audit-event.js';
import { demoSummaryHint, generateDemoEvents } from '../sources/demo/demo-generator.js';
import type { EventStore } from '../store/event-store.js';

export const DEFAULT_DEMO_EVENTS = 5_000;

/** Appends the deterministic demo events in batches; idempotent (re-running adds nothing). */
export async function loadDemoEvents(
  store: EventStore,
  customerId: string,
  options: { now: number; count?: number; seed?: number },
): Promise<{ inserted: number; duplicate: number; hint: string }> {
  const count = options.count ?? DEFAULT_DEMO_EVENTS;
  let batch: AuditEvent[] = [];
  let inserted = 0;
  let duplicate = 0;
  const flush = async () => {
    const result = await store.append(batch);
    inserted += result.inserted;
    duplicate += result.duplicate;
    batch = [];
  };
  for (const event of generateDemoEvents({ customerId, count, now: options.now, seed: options.seed })) {
    batch.push(event);
    if (batch.length === 1000) await flush();
  }
  if (batch.length > 0) await flush();
  return { inserted, duplicate, hint: demoSummaryHint() };
}
