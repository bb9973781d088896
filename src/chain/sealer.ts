import type { Logger } from '../logger.js';
import type { Checkpoint } from '../store/event-chain.js';
import type { EventStore } from '../store/event-store.js';
import { sealChains } from './checkpoints.js';
import type { SigningKey } from './signing-key.js';

/** How often `serve` looks for checkpoints due (CHECKPOINT_EVENTS reached, or CHECKPOINT_INTERVAL_MS passed). */
export const SEAL_EVERY_MS = 30_000;

export interface Sealer {
  /** Signs what is due now (also run by the timer). */
  sealNow(): Promise<Checkpoint[]>;
  stop(): Promise<void>;
}

/** `serve`'s checkpointing: every SEAL_EVERY_MS, each tenant's due checkpoints are signed and stored. */
export function startSealing(options: {
  store: EventStore;
  key: () => SigningKey;
  logger: Logger;
  clock?: () => number;
  everyMs?: number;
}): Sealer {
  const clock = options.clock ?? Date.now;
  let running: Promise<Checkpoint[]> | null = null;
  const sealNow = async () => {
    running ??= (async () => {
      try {
        const made = await sealChains(options.store, options.key(), clock());
        for (const checkpoint of made) {
          options.logger.info('checkpoint signed', {
            tenant: checkpoint.customerId,
            lastPosition: checkpoint.lastPosition,
            headHash: checkpoint.headHash,
          });
        }
        return made;
      } catch (error) {
        options.logger.warn('checkpointing failed; retrying at the next tick', { error: String(error) });
        return [];
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void sealNow(), options.everyMs ?? SEAL_EVERY_MS);
  timer.unref();
  return {
    sealNow,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
