import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { isPostgresUrl, sqlitePathFromUrl } from '../store/open-store.js';
import { loadSigningKey, type SigningKey } from './signing-key.js';

/** Where a key is generated when none is set: beside the SQLite file, else ./data. */
function generatedKeyPath(databaseUrl: string): string {
  const sqlite = isPostgresUrl(databaseUrl) ? null : sqlitePathFromUrl(databaseUrl);
  const directory = sqlite === null || sqlite === ':memory:' ? './data' : dirname(sqlite);
  return join(directory, 'auditbot-signing-key.pem');
}

/** The signing key, loaded (or generated) the first time something needs it. */
export function lazySigningKey(config: AppConfig, logger: Pick<Logger, 'warn'>): () => SigningKey {
  let key: SigningKey | undefined;
  return () => {
    key ??= loadSigningKey({
      setting: config.evidence?.signingKey,
      generatedPath: generatedKeyPath(config.databaseUrl),
      warn: (message) => logger.warn(message),
    });
    return key;
  };
}

/** The configured key's public half without generating one: null when no key was set or generated yet. */
export function configuredPublicKey(config: AppConfig): KeyObject | null {
  const setting = config.evidence?.signingKey;
  const generated = generatedKeyPath(config.databaseUrl);
  if (!setting && !existsSync(generated)) return null;
  return lazySigningKey(config, { warn: () => {} })().publicKey;
}
