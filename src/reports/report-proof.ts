import { hash, type KeyObject, sign, verify } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import canonicalize from 'canonicalize';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { checkpointSigned, sealChain } from '../chain/checkpoints.js';
import { keyIdOf, type SigningKey } from '../chain/signing-key.js';
import type { ReportPart } from '../replies/reply.js';
import type { Checkpoint } from '../store/event-chain.js';
import type { EventStore } from '../store/event-store.js';

/**
 * A report's proof, beside it as `<file>.sha256.json`: the file's SHA-256, each row's event id with
 * its chain position and hash, and the signed checkpoint covering them all — the whole signed with
 * the checkpoint key, so `auditbot verify-report` can check a downloaded report offline.
 */
export const PROOF_FORMAT = 'auditbot-report-proof/1';

const ProofSchema = z.object({
  format: z.literal(PROOF_FORMAT),
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  customerId: z.string(),
  events: z.array(z.object({ id: z.string(), position: z.number().int(), hash: z.string() })),
  checkpoint: z.object({
    customerId: z.string(),
    firstPosition: z.number().int(),
    lastPosition: z.number().int(),
    headHash: z.string(),
    count: z.number().int(),
    time: z.string(),
    keyId: z.string(),
    signature: z.string(),
  }),
  keyId: z.string(),
  publicKey: z.string(),
  signature: z.string(),
});
export type ReportProof = z.infer<typeof ProofSchema>;

export function proofPathOf(csvPath: string): string {
  return `${csvPath}.sha256.json`;
}

/** How many rows a report CSV holds under its header (quoted newlines included). */
function reportRows(bytes: Buffer): number {
  const records = parse(bytes, { bom: true, skip_empty_lines: true, relax_column_count: true }) as unknown[];
  return Math.max(0, records.length - 1);
}

function payload(proof: Omit<ReportProof, 'signature'>): Buffer {
  return Buffer.from(canonicalize(proof) as string);
}

/**
 * Writes each part's proof and returns the parts with it. A checkpoint is signed up to the head
 * first, so the proof's checkpoint covers every event of the report.
 */
export async function writeReportProofs(
  store: EventStore,
  key: SigningKey,
  customerId: string,
  parts: readonly ReportPart[],
  now: number,
): Promise<ReportPart[]> {
  await sealChain(store, key, customerId, now, { force: true });
  const checkpoint = await store.chain.lastCheckpoint(customerId);
  const withoutIds = parts.map(({ eventIds: _ids, ...part }) => part);
  if (!checkpoint) return withoutIds;
  return Promise.all(
    parts.map(async ({ eventIds, ...part }) => {
      const bytes = await readFile(part.path);
      const ids = eventIds ?? [];
      const links = await store.chain.linksOf(customerId, ids);
      const unsigned: Omit<ReportProof, 'signature'> = {
        format: PROOF_FORMAT,
        file: part.name,
        sha256: hash('sha256', bytes, 'hex'),
        customerId,
        events: ids.flatMap((id) => {
          const link = links.get(id);
          return link ? [{ id, position: link.position, hash: link.hash }] : [];
        }),
        checkpoint,
        keyId: key.keyId,
        publicKey: key.publicKeyPem,
      };
      const signature = sign(null, payload(unsigned), key.privateKey).toString('base64');
      const path = proofPathOf(part.path);
      await writeFile(path, `${JSON.stringify({ ...unsigned, signature }, null, 1)}\n`);
      return { ...part, proof: { name: `${part.name}.sha256.json`, path } };
    }),
  );
}

export type ReportVerdict = { ok: true; text: string } | { ok: false; text: string };

/** Checks a report file against its proof, with `publicKey` (or the proof's own key when none is pinned). */
export function verifyReportProof(bytes: Buffer, proofText: string, publicKey: KeyObject | null): ReportVerdict {
  let proof: ReportProof;
  try {
    proof = ProofSchema.parse(JSON.parse(proofText));
  } catch {
    return { ok: false, text: 'the proof file is not an auditbot report proof' };
  }
  const { signature, ...unsigned } = proof;
  if (!publicKey) return { ok: false, text: 'no public key to check the proof with: pass --public-key' };
  const key = publicKey;
  if (proof.keyId !== keyIdOf(key) || !verify(null, payload(unsigned), key, Buffer.from(signature, 'base64'))) {
    return {
      ok: false,
      text: `the proof's signature does not verify with key ${keyIdOf(key)}: the proof was altered or another key signed it`,
    };
  }
  if (!checkpointSigned(proof.checkpoint as Checkpoint, key)) {
    return { ok: false, text: 'the checkpoint in the proof does not carry a valid signature' };
  }
  const digest = hash('sha256', bytes, 'hex');
  if (digest !== proof.sha256) {
    return {
      ok: false,
      text: `the file's SHA-256 is ${digest.slice(0, 12)}…, not ${proof.sha256.slice(0, 12)}… as signed: the report was changed after auditbot wrote it`,
    };
  }
  const rows = reportRows(bytes);
  if (rows !== proof.events.length) {
    return { ok: false, text: `the file holds ${rows} rows but the proof lists ${proof.events.length} chained events` };
  }
  const beyond = proof.events.find((event) => event.position > proof.checkpoint.lastPosition);
  if (beyond) return { ok: false, text: `event ${beyond.id} lies beyond the proof's checkpoint` };
  return {
    ok: true,
    text: `report intact: ${rows.toLocaleString('en-US')} events, sha256 ${digest.slice(0, 12)}…, every one in the chain up to the checkpoint signed ${proof.checkpoint.time} (positions ${proof.checkpoint.firstPosition}–${proof.checkpoint.lastPosition}, key ${proof.keyId})`,
  };
}

/** The key named inside a proof (used when none is pinned, with a warning). */
export function proofPublicKey(proofText: string): string | null {
  try {
    return (JSON.parse(proofText) as { publicKey?: string }).publicKey ?? null;
  } catch {
    return null;
  }
}
