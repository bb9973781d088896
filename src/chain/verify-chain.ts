import type { KeyObject } from 'node:crypto';
import { eventChainHash } from '../domain/chain-hash.js';
import type { ChainGenesis, ChainLink, Checkpoint, EventChain } from '../store/event-chain.js';
import { checkpointSigned } from './checkpoints.js';

export type BreachKind = 'altered' | 'deleted' | 'inserted' | 'reordered' | 'checkpoint';

/** The first thing found wrong with a chain: where, which event, and what it looks like. */
export interface Breach {
  kind: BreachKind;
  position: number | null;
  eventId: string | null;
  detail: string;
}

export interface ChainVerdict {
  customerId: string;
  intact: boolean;
  /** Links checked (pruned ones included). */
  events: number;
  pruned: number;
  head: { position: number; hash: string } | null;
  genesis: ChainGenesis | null;
  /** The newest checkpoint whose signature and head hash were checked. */
  lastCheckpoint: Checkpoint | null;
  checkpoints: number;
  breach: Breach | null;
}

export interface VerifyOptions {
  /** Checkpoints to hold the chain to: the store's own by default, or an exported file's. */
  checkpoints?: readonly Checkpoint[];
  /** The key checkpoints must be signed by; null when none is known (then any checkpoint fails). */
  publicKey: KeyObject | null;
  /** Start at the last checkpoint made at or before this instant (epoch ms) instead of the genesis. */
  since?: number;
  /**
   * Positions up to `position` were already checked link by link (parallel-verify.ts), `hash` being
   * the stored hash there: the walk resumes after it; checkpoints before it are held to the stored
   * hashes.
   */
  checked?: { position: number; hash: string; events: number; linked: number; pruned: number };
  onProgress?: (done: number, total: number) => void;
}

const PAGE = 5_000;

/** How a broken link at `index` of `links` looks: a swap, an insertion, or an edit. */
function classify(previous: string, links: readonly ChainLink[], index: number): Breach {
  const link = links[index] as ChainLink;
  for (let other = index + 1; other < links.length; other++) {
    const candidate = links[other] as ChainLink;
    // A swap of two links (each keeping its hash) or of the events two links name.
    const moved = candidate.event ? eventChainHash(previous, candidate.event) : null;
    if (moved !== null && (moved === link.hash || moved === candidate.hash)) {
      return {
        kind: 'reordered',
        position: link.position,
        eventId: candidate.eventId,
        detail: `event ${candidate.eventId} stands at position ${candidate.position} but was chained at position ${link.position}, where event ${link.eventId} now stands`,
      };
    }
  }
  const next = links[index + 1];
  if (next?.event && eventChainHash(previous, next.event) === next.hash) {
    return {
      kind: 'inserted',
      position: link.position,
      eventId: link.eventId,
      detail: `event ${link.eventId} at position ${link.position} was inserted into the chain: the chain continues without it`,
    };
  }
  return {
    kind: 'altered',
    position: link.position,
    eventId: link.eventId,
    detail: `event ${link.eventId} at position ${link.position} no longer matches its hash: a stored field was changed`,
  };
}

/**
 * Recomputes a tenant's chain from its genesis (or a checkpoint) to its head, checking every link,
 * every checkpoint's signature and head hash, and that every stored event is in the chain. Stops at
 * the first breach.
 */
export async function verifyChain(
  chain: EventChain,
  customerId: string,
  options: VerifyOptions,
): Promise<ChainVerdict> {
  const head = await chain.head(customerId);
  const verdict: ChainVerdict = {
    customerId,
    intact: true,
    events: 0,
    pruned: 0,
    head: head ? { position: head.position, hash: head.hash } : null,
    genesis: head?.genesis ?? null,
    lastCheckpoint: null,
    checkpoints: 0,
    breach: null,
  };
  const fail = (breach: Breach) => {
    verdict.intact = false;
    verdict.breach = breach;
    return verdict;
  };
  const checkpoints = [...(options.checkpoints ?? (await chain.checkpoints(customerId)))]
    .filter((checkpoint) => checkpoint.customerId === customerId)
    .sort((a, b) => a.lastPosition - b.lastPosition);
  for (const checkpoint of checkpoints) {
    if (!options.publicKey) {
      return fail({
        kind: 'checkpoint',
        position: checkpoint.lastPosition,
        eventId: null,
        detail: `no public key to check the checkpoint signatures with: pass --public-key, or set AUDITBOT_SIGNING_KEY`,
      });
    }
    if (!checkpointSigned(checkpoint, options.publicKey)) {
      return fail({
        kind: 'checkpoint',
        position: checkpoint.lastPosition,
        eventId: null,
        detail: `the checkpoint of ${checkpoint.time} (positions ${checkpoint.firstPosition}–${checkpoint.lastPosition}) does not carry a valid signature by key ${checkpoint.keyId}: it was forged or altered, or another key signed it`,
      });
    }
  }
  if (!head) {
    const signed = checkpoints.at(-1);
    if (signed) {
      return fail({
        kind: 'deleted',
        position: 1,
        eventId: null,
        detail: `the tenant has no chain, but a checkpoint signed ${signed.time} covers positions up to ${signed.lastPosition}: its events and chain were deleted`,
      });
    }
    const inserted = await strayEvent(chain, customerId, 'the tenant has no chain');
    return inserted ? fail(inserted) : verdict;
  }
  const genesis = head.genesis;
  let position = genesis.position;
  let previous = genesis.hash;
  if (options.since !== undefined) {
    const start = checkpoints
      .filter((c) => Date.parse(c.time) <= (options.since as number) && c.lastPosition > position)
      .at(-1);
    if (start) {
      position = start.lastPosition;
      previous = start.headHash;
    }
  }
  let linkedEvents = 0;
  if (options.checked) {
    for (const checkpoint of checkpoints.filter((c) => c.lastPosition <= (options.checked?.position ?? 0))) {
      const link = await chain.linkAt(customerId, checkpoint.lastPosition);
      if (checkpoint.lastPosition <= genesis.position) continue;
      if (link?.hash !== checkpoint.headHash) {
        return fail({
          kind: 'checkpoint',
          position: checkpoint.lastPosition,
          eventId: link?.eventId ?? null,
          detail: `the chain at position ${checkpoint.lastPosition} does not match the checkpoint signed ${checkpoint.time}: events between positions ${checkpoint.firstPosition} and ${checkpoint.lastPosition} were rewritten along with their hashes`,
        });
      }
      verdict.lastCheckpoint = checkpoint;
      verdict.checkpoints += 1;
    }
    position = options.checked.position;
    previous = options.checked.hash;
    verdict.events = options.checked.events;
    verdict.pruned = options.checked.pruned;
    linkedEvents = options.checked.linked;
  }
  const due = checkpoints.filter((c) => c.lastPosition > position);
  const byEnd = new Map(due.map((c) => [c.lastPosition, c]));
  const total = head.position - position;
  for (;;) {
    // Up to the head read at the start: events stored meanwhile are for the next verify.
    if (position >= head.position) break;
    const links = await chain.links(customerId, position, Math.min(PAGE, head.position - position));
    if (links.length === 0) break;
    for (let index = 0; index < links.length; index++) {
      const link = links[index] as ChainLink;
      if (link.position !== position + 1) {
        return fail({
          kind: 'deleted',
          position: position + 1,
          eventId: link.eventId,
          detail: `position ${position + 1}${link.position > position + 2 ? `–${link.position - 1}` : ''} is missing from the chain: its link and event were deleted (the chain resumes with event ${link.eventId})`,
        });
      }
      if (link.unreadable) {
        return fail({
          kind: 'altered',
          position: link.position,
          eventId: link.eventId,
          detail: `event ${link.eventId} at position ${link.position} cannot be read back (${link.unreadable}): a stored field was changed`,
        });
      }
      if (link.event === null) {
        const pruned = link.pruned && head.prunedBefore !== null && link.ts < head.prunedBefore;
        if (!pruned) {
          return fail({
            kind: 'deleted',
            position: link.position,
            eventId: link.eventId,
            detail: `event ${link.eventId} at position ${link.position} is missing: it was deleted`,
          });
        }
        verdict.pruned += 1;
      } else {
        if (eventChainHash(previous, link.event) !== link.hash) {
          const more =
            index + 1 < links.length
              ? links
              : [...links, ...(await chain.links(customerId, links.at(-1)?.position ?? position, PAGE))];
          return fail(classify(previous, more, index));
        }
        linkedEvents += 1;
      }
      previous = link.hash;
      position = link.position;
      verdict.events += 1;
      const checkpoint = byEnd.get(position);
      if (checkpoint) {
        if (checkpoint.headHash !== previous) {
          return fail({
            kind: 'checkpoint',
            position,
            eventId: link.eventId,
            detail: `the chain at position ${position} does not match the checkpoint signed ${checkpoint.time}: events between positions ${checkpoint.firstPosition} and ${position} were rewritten along with their hashes`,
          });
        }
        verdict.lastCheckpoint = checkpoint;
        verdict.checkpoints += 1;
      }
    }
    options.onProgress?.(position - (head.position - total), total);
  }
  if (position < head.position || (due.at(-1)?.lastPosition ?? 0) > position) {
    const end = Math.max(head.position, due.at(-1)?.lastPosition ?? 0);
    return fail({
      kind: 'deleted',
      position: position + 1,
      eventId: null,
      detail: `the chain ends at position ${position} but ${end === head.position ? 'its head is' : 'a signed checkpoint reaches'} position ${end}: the newest events were deleted`,
    });
  }
  if (previous !== head.hash) {
    return fail({
      kind: 'altered',
      position,
      eventId: null,
      detail: `the chain's recorded head hash differs from the recomputed one at position ${position}`,
    });
  }
  if (options.since !== undefined || (await chain.storedEvents(customerId)) > linkedEvents) {
    const inserted = await strayEvent(chain, customerId, 'it is not in the chain');
    if (inserted) return fail(inserted);
  }
  return verdict;
}

/** A stored event of the tenant that no link names, as a breach (`why` says what is missing). */
async function strayEvent(chain: EventChain, customerId: string, why: string): Promise<Breach | null> {
  const [stray] = await chain.unchained(customerId, 1);
  if (!stray) return null;
  return {
    kind: 'inserted',
    position: null,
    eventId: stray.id,
    detail: `event ${stray.id} is stored but ${why}: it was written behind auditbot's back`,
  };
}
