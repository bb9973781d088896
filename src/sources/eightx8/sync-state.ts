import type { AppConfig } from '../../config.js';
import type { EventStore } from '../../store/event-store.js';
import { freshnessKey } from '../../store/sync-health.js';

/** One stream the sync pulls: a tenant's service in one region, with that region's key and base URL. */
export interface SyncTarget {
  customerId: string;
  service: string;
  region: string | null;
  apiKey: string;
  baseUrl: string;
}

/** Every configured 8x8 source of every tenant (`eightx8` in the tenant config or the EIGHTX8_* env). */
export function syncTargets(config: AppConfig, defaultBaseUrl: string): SyncTarget[] {
  return config.tenants.flatMap((tenant) =>
    tenant.eightx8.map((source) => ({
      customerId: tenant.customerId,
      service: source.service.toLowerCase(),
      region: source.region?.toLowerCase() ?? null,
      apiKey: source.apiKey,
      baseUrl: source.baseUrl ?? defaultBaseUrl,
    })),
  );
}

/** For logs and summaries: never the key. */
export function describeTarget(target: SyncTarget): string {
  return `${target.customerId}/${target.service}${target.region ? `/${target.region}` : ''}`;
}

export function watermarkKey(target: Pick<SyncTarget, 'customerId' | 'service' | 'region'>): string {
  return `eightx8:watermark:${target.customerId}:${target.service}:${target.region ?? '-'}`;
}

/** Epoch ms up to which this target's events are all stored, or null before the first full window. */
export async function readWatermark(store: EventStore, target: SyncTarget): Promise<number | null> {
  const value = await store.getState<string>(watermarkKey(target));
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

export async function writeWatermark(store: EventStore, target: SyncTarget, ms: number): Promise<void> {
  await store.setState(watermarkKey(target), new Date(ms).toISOString());
}

/**
 * The tenant's "complete up to": the oldest watermark over all its services and regions, since a
 * list mixing them is only complete up to its least advanced stream. Unwritten until every stream
 * has finished its first window.
 */
export async function updateFreshness(
  store: EventStore,
  customerId: string,
  tenantTargets: readonly SyncTarget[],
): Promise<string | null> {
  let oldest = Number.POSITIVE_INFINITY;
  for (const target of tenantTargets) {
    if (target.customerId !== customerId) continue;
    const watermark = await readWatermark(store, target);
    if (watermark === null) return null;
    oldest = Math.min(oldest, watermark);
  }
  if (!Number.isFinite(oldest)) return null;
  const iso = new Date(oldest).toISOString();
  await store.setState(freshnessKey(customerId), iso);
  return iso;
}
