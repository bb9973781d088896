import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { loadSigningKey, type SigningKey } from './signing-key.js';

/** The signing key, loaded (or generated) the first time something needs it. */
export function lazySigningKey(config: AppConfig, logger: Pick<Logger, 'warn'>): () => SigningKey {
  let key: SigningKey | undefined;
  return () => {
    key ??= loadSigningKey({
      setting: config.evidence?.signingKey,
      generatedPath: config.evidence?.generatedKeyPath ?? './data/auditbot-signing-key.pem',
      warn: (message) => logger.warn(message),
    });
    return key;
  };
}

/** The configured key's public half without generating one: null when no key was set or generated yet. */
export function configuredPublicKey(config: AppConfig): KeyObject | null {
  const setting = config.evidence?.signingKey;
  const generated = config.evidence?.generatedKeyPath ?? './data/auditbot-signing-key.pem';
  if (!setting && !existsSync(generated)) return null;
  return lazySigningKey(config, { warn: () => {} })().publicKey;
}
