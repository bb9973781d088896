import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { Checkpoint } from '../store/event-chain.js';
import type { SigningKey } from './signing-key.js';

/**
 * `checkpoints export` writes one JSON object a line, like CloudTrail's digest files: each
 * checkpoint with the signature and the signer's public key (PEM), so a verifier needs nothing else.
 */
const CheckpointLineSchema = z.object({
  customerId: z.string().min(1),
  firstPosition: z.number().int().min(1),
  lastPosition: z.number().int().min(1),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  count: z.number().int().min(1),
  time: z.iso.datetime({ offset: false }),
  keyId: z.string().min(1),
  signature: z.string().min(1),
  publicKey: z.string().min(1),
});

export function checkpointLine(checkpoint: Checkpoint, key: Pick<SigningKey, 'publicKeyPem'>): string {
  return JSON.stringify({ ...checkpoint, publicKey: key.publicKeyPem });
}

export interface CheckpointFile {
  checkpoints: Checkpoint[];
  /** The public keys the file names, by keyId. */
  publicKeys: Map<string, KeyObject>;
}

/** Reads an exported file; a line that is not a checkpoint is an error naming the line. */
export function parseCheckpointFile(text: string, name: string): CheckpointFile {
  const checkpoints: Checkpoint[] = [];
  const publicKeys = new Map<string, KeyObject>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: z.infer<typeof CheckpointLineSchema>;
    try {
      parsed = CheckpointLineSchema.parse(JSON.parse(line));
    } catch (error) {
      const why = error instanceof z.ZodError ? (error.issues[0]?.path.join('.') ?? 'line') : 'not JSON';
      throw new ConfigError(`${name} line ${index + 1} is not an exported checkpoint (${why}).`);
    }
    const { publicKey, ...checkpoint } = parsed;
    checkpoints.push(checkpoint);
    if (!publicKeys.has(checkpoint.keyId)) publicKeys.set(checkpoint.keyId, createPublicKey(publicKey));
  });
  return { checkpoints, publicKeys };
}
