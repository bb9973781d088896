/**
 * The worker side of parallel-verify.ts: opens the store itself and checks one stretch of a chain.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openEventStore } from '../store/open-store.js';
import { checkLinkRange } from './link-range.js';

export interface VerifyWork {
  databaseUrl: string;
  customerId: string;
  from: number;
  to: number;
  previous: string;
  prunedBefore: number | null;
}

export type VerifyWorkerMessage =
  | { progress: number }
  | { done: Awaited<ReturnType<typeof checkLinkRange>> }
  | { error: string };

async function run(work: VerifyWork): Promise<void> {
  const port = parentPort;
  if (!port) return;
  try {
    const store = await openEventStore(work.databaseUrl);
    try {
      const done = await checkLinkRange(store.chain, work.customerId, work, (progress) =>
        port.postMessage({ progress } satisfies VerifyWorkerMessage),
      );
      port.postMessage({ done } satisfies VerifyWorkerMessage);
    } finally {
      await store.close();
    }
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies VerifyWorkerMessage);
  }
}

void run(workerData as VerifyWork);
