import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { configuredPublicKey } from '../../chain/evidence.js';
import { readPublicKey } from '../../chain/signing-key.js';
import type { AppConfig } from '../../config.js';
import { proofPathOf, proofPublicKey, verifyReportProof } from '../../reports/report-proof.js';
import { parseVerbArgs, UsageError } from '../usage.js';

const USAGE = 'usage: auditbot verify-report <report.csv> [--proof FILE] [--public-key FILE]';

function read(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`${what} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * `verify-report`: checks a downloaded CSV report against its `.sha256.json` proof, offline: the
 * file's digest, the proof's and its checkpoint's signatures, and that every row is a proven event.
 */
export async function verifyReportVerb(args: string[], config: AppConfig): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, { proof: { type: 'string' }, 'public-key': { type: 'string' } });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError(USAGE);
  const bytes = read(file, 'report');
  const proofText = read(values.proof ?? proofPathOf(file), 'proof').toString('utf8');
  const pinned =
    values['public-key'] !== undefined
      ? readPublicKey(read(values['public-key'], '--public-key').toString('utf8'))
      : configuredPublicKey(config);
  const embedded = proofPublicKey(proofText);
  const key = pinned ?? (embedded ? createPublicKey(embedded) : null);
  const verdict = verifyReportProof(bytes, proofText, key);
  process.stdout.write(`${file}: ${verdict.ok ? verdict.text : `NOT intact — ${verdict.text}`}\n`);
  if (verdict.ok && !pinned) {
    // Anyone can sign a proof with a key of their own: without a key you trust, this proves nothing.
    process.stderr.write(
      'auditbot verify-report: the proof is consistent, but it was checked only with the key inside it — pass --public-key with the key your auditbot operator published (exit 1 until then).\n',
    );
    return 1;
  }
  return verdict.ok ? 0 : 1;
}
