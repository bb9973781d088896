import { eventChainHash } from '../domain/chain-hash.js';
import type { EventChain } from '../store/event-chain.js';

/** What checking a stretch of positions found: all good, or the first position that is not. */
export interface RangeCheck {
  from: number;
  to: number;
  /** The first position whose link does not follow from the stored one before it; null when none. */
  firstBad: number | null;
  events: number;
  linked: number;
  pruned: number;
}

const PAGE = 5_000;

/**
 * Checks positions `from`..`to` each against the stored hash before it (`previous` before `from`):
 * when every link follows from its stored predecessor, the stretch is intact, so stretches can be
 * checked side by side. What a bad position means is left to verifyChain.
 */
export async function checkLinkRange(
  chain: EventChain,
  customerId: string,
  range: { from: number; to: number; previous: string; prunedBefore: number | null },
  onProgress?: (checked: number) => void,
): Promise<RangeCheck> {
  const result: RangeCheck = { from: range.from, to: range.to, firstBad: null, events: 0, linked: 0, pruned: 0 };
  let position = range.from - 1;
  let previous = range.previous;
  while (position < range.to) {
    const links = await chain.links(customerId, position, Math.min(PAGE, range.to - position));
    if (links.length === 0) {
      result.firstBad = position + 1;
      return result;
    }
    for (const link of links) {
      const pruned = link.event === null && link.pruned && range.prunedBefore !== null && link.ts < range.prunedBefore;
      const good =
        link.position === position + 1 &&
        !link.unreadable &&
        (pruned || (link.event !== null && eventChainHash(previous, link.event) === link.hash));
      if (!good) {
        result.firstBad = position + 1;
        return result;
      }
      if (pruned) result.pruned += 1;
      else result.linked += 1;
      result.events += 1;
      previous = link.hash;
      position = link.position;
    }
    onProgress?.(result.events);
  }
  return result;
}
