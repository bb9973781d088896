import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EventChain } from '../store/event-chain.js';
import type { RangeCheck } from './link-range.js';
import { type ChainVerdict, type VerifyOptions, verifyChain } from './verify-chain.js';
import type { VerifyWork, VerifyWorkerMessage } from './verify-worker.js';

/** Below this many positions one thread is quicker than starting workers. */
const PARALLEL_FROM = 50_000;

function checkInWorker(work: VerifyWork, onProgress: (checked: number) => void): Promise<RangeCheck> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./verify-worker.mjs', import.meta.url), { workerData: work });
    worker.on('message', (message: VerifyWorkerMessage) => {
      if ('progress' in message) onProgress(message.progress);
      else if ('done' in message) resolve(message.done);
      else reject(new Error(message.error));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`verify worker exited with code ${code}`));
    });
  });
}

/**
 * verifyChain for a big chain, its links checked by one worker per core, each on its own stretch
 * and its own connection (a link is good when it follows from the stored hash before it, so
 * stretches do not wait for each other). The verdict is verifyChain's: it takes over after the
 * checked stretches — or, when one found a bad position, from the position before it, so the
 * breach is classified by the same code.
 */
export async function verifyChainInParallel(
  databaseUrl: string,
  chain: EventChain,
  customerId: string,
  options: VerifyOptions & { workers?: number; parallelFrom?: number },
): Promise<ChainVerdict> {
  const head = await chain.head(customerId);
  const start = head?.genesis.position ?? 0;
  const total = (head?.position ?? 0) - start;
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), 8));
  if (
    !head ||
    total < (options.parallelFrom ?? PARALLEL_FROM) ||
    workers < 2 ||
    options.since !== undefined ||
    databaseUrl === 'sqlite::memory:'
  ) {
    return verifyChain(chain, customerId, options);
  }
  const size = Math.ceil(total / workers);
  const ranges: VerifyWork[] = [];
  for (let from = start + 1; from <= head.position; from += size) {
    const previous = from === start + 1 ? head.genesis.hash : (await chain.linkAt(customerId, from - 1))?.hash;
    if (previous === undefined) return verifyChain(chain, customerId, options);
    ranges.push({
      databaseUrl,
      customerId,
      from,
      to: Math.min(head.position, from + size - 1),
      previous,
      prunedBefore: head.prunedBefore,
    });
  }
  const progress = ranges.map(() => 0);
  const checks = await Promise.all(
    ranges.map((range, index) =>
      checkInWorker(range, (checked) => {
        progress[index] = checked;
        options.onProgress?.(
          progress.reduce((sum, n) => sum + n, 0),
          total,
        );
      }),
    ),
  );
  // Good up to the first bad position (or the head): verifyChain takes it from there.
  let upTo = head.position;
  let events = 0;
  let linked = 0;
  let pruned = 0;
  for (const check of checks) {
    events += check.events;
    linked += check.linked;
    pruned += check.pruned;
    if (check.firstBad !== null) {
      upTo = check.firstBad - 1;
      break;
    }
  }
  if (upTo <= start) return verifyChain(chain, customerId, options);
  const hash = (await chain.linkAt(customerId, upTo))?.hash;
  if (hash === undefined) return verifyChain(chain, customerId, options);
  return verifyChain(chain, customerId, { ...options, checked: { position: upTo, hash, events, linked, pruned } });
}
