import { configuredPublicKey } from '../../chain/evidence.js';
import { verifyChainInParallel } from '../../chain/parallel-verify.js';
import { genesisLine, verdictLine } from '../../chain/verdict-text.js';
import type { Reply } from '../../replies/reply.js';
import type { CommandContext } from '../context.js';
import { recordAccess } from '../record-access.js';

/**
 * `verify`: recomputes this tenant's chain and checks its checkpoints' signatures — the same verdict
 * as `auditbot verify --tenant`, answered in place. Admins only (the router checks).
 */
export async function verifyCommand(ctx: CommandContext): Promise<Reply> {
  const customerId = ctx.tenant.customerId;
  // Big chains are checked in worker threads: the other admins' commands keep being answered.
  const verdict = await verifyChainInParallel(ctx.config.databaseUrl, ctx.store.chain, customerId, {
    publicKey: configuredPublicKey(ctx.config),
  });
  await recordAccess(ctx, {
    eventType: 'read',
    entityType: 'chain',
    entityKey: customerId,
    displayName: 'verify: the audit trail',
    details: { intact: verdict.intact, events: verdict.events, head: verdict.head?.hash ?? null },
  });
  const facts = [
    { label: 'Verdict', value: verdictLine(verdict) },
    { label: 'Events checked', value: verdict.events.toLocaleString('en-US') },
  ];
  if (verdict.head)
    facts.push({
      label: 'Head',
      value: `position ${verdict.head.position.toLocaleString('en-US')} · ${verdict.head.hash}`,
    });
  if (verdict.lastCheckpoint) {
    facts.push({
      label: 'Last checkpoint',
      value: `${verdict.lastCheckpoint.time} · positions ${verdict.lastCheckpoint.firstPosition}–${verdict.lastCheckpoint.lastPosition} · key ${verdict.lastCheckpoint.keyId}`,
    });
  }
  const genesis = genesisLine(verdict);
  if (genesis) facts.push({ label: 'Genesis', value: genesis });
  return {
    kind: 'summary',
    title: verdict.intact ? 'Audit trail intact' : 'Audit trail NOT intact',
    facts,
    footnote: verdict.intact
      ? 'Recomputed from the chain and checked against the signed checkpoints. `auditbot verify` gives the same verdict from a terminal.'
      : 'Someone changed the store behind auditbot’s back. Keep this message; compare with an exported checkpoint file (`auditbot checkpoints export`).',
  };
}
