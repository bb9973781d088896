import { type KeyObject, sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Checkpoint } from '../store/event-chain.js';
import type { EventStore } from '../store/event-store.js';
import { keyIdOf, type SigningKey } from './signing-key.js';

/** A checkpoint is due every 10,000 events of a tenant, or 10 minutes after the last one when events came since. */
export const CHECKPOINT_EVENTS = 10_000;
export const CHECKPOINT_INTERVAL_MS = 10 * 60_000;

/** The bytes a checkpoint's signature covers: RFC 8785 of every field but the signature. */
export function checkpointPayload(checkpoint: Omit<Checkpoint, 'signature'>): string {
  const { customerId, firstPosition, lastPosition, headHash, count, time, keyId } = checkpoint;
  return canonicalize({ customerId, firstPosition, lastPosition, headHash, count, time, keyId }) as string;
}

export function signCheckpoint(key: SigningKey, fields: Omit<Checkpoint, 'signature' | 'keyId'>): Checkpoint {
  const unsigned = { ...fields, keyId: key.keyId };
  const signature = sign(null, Buffer.from(checkpointPayload(unsigned)), key.privateKey).toString('base64');
  return { ...unsigned, signature };
}

/** Whether `publicKey` signed this checkpoint as it stands. */
export function checkpointSigned(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  if (checkpoint.keyId !== keyIdOf(publicKey)) return false;
  try {
    return verify(
      null,
      Buffer.from(checkpointPayload(checkpoint)),
      publicKey,
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/**
 * Signs the checkpoints due for a tenant at `now` and stores them; returns those made. One per full
 * stretch of CHECKPOINT_EVENTS positions, then one for the rest once CHECKPOINT_INTERVAL_MS passed.
 * Run under the store's exclusive lock per tenant, so instances do not race (a clash is skipped).
 */
export async function sealChain(
  store: EventStore,
  key: SigningKey,
  customerId: string,
  now: number,
  options: { force?: boolean } = {},
): Promise<Checkpoint[]> {
  const outcome = await store.runExclusive(`checkpoints:${customerId}`, async () => {
    const head = await store.chain.head(customerId);
    if (!head) return [];
    const last = await store.chain.lastCheckpoint(customerId);
    let from = Math.max(last?.lastPosition ?? 0, head.genesis.position);
    let lastTime = Date.parse(last?.time ?? head.genesis.since);
    const made: Checkpoint[] = [];
    const seal = async (to: number) => {
      const link = await store.chain.linkAt(customerId, to);
      if (!link) return false;
      const time = new Date(now).toISOString();
      const checkpoint = signCheckpoint(key, {
        customerId,
        firstPosition: from + 1,
        lastPosition: to,
        headHash: link.hash,
        count: to - from,
        time,
      });
      if (await store.chain.saveCheckpoint(checkpoint)) made.push(checkpoint);
      from = to;
      lastTime = now;
      return true;
    };
    while (head.position - from >= CHECKPOINT_EVENTS) if (!(await seal(from + CHECKPOINT_EVENTS))) break;
    if (head.position > from && (options.force || now - lastTime >= CHECKPOINT_INTERVAL_MS)) await seal(head.position);
    return made;
  });
  return outcome.ran ? outcome.value : [];
}

/** sealChain for every tenant with a chain; `force` also seals a stretch shorter than the interval. */
export async function sealChains(
  store: EventStore,
  key: SigningKey,
  now: number,
  options: { force?: boolean } = {},
): Promise<Checkpoint[]> {
  const made: Checkpoint[] = [];
  for (const customerId of await store.chain.tenants()) {
    made.push(...(await sealChain(store, key, customerId, now, options)));
  }
  return made;
}
