import { createPrivateKey, createPublicKey, generateKeyPairSync, hash, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

/** The Ed25519 key checkpoints are signed with, and the public half verifiers need. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The first 16 hex characters of SHA-256 of the public key (SPKI DER). */
  keyId: string;
  /** The public key as PEM, for `checkpoints export` and offline verification. */
  publicKeyPem: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  return hash('sha256', publicKey.export({ type: 'spki', format: 'der' }), 'hex').slice(0, 16);
}

function fromPrivatePem(pem: string, where: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new ConfigError(`AUDITBOT_SIGNING_KEY (${where}) is not a PEM private key: ${(error as Error).message}.`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(
      `AUDITBOT_SIGNING_KEY (${where}) is a ${privateKey.asymmetricKeyType} key; checkpoints are signed with Ed25519 (openssl genpkey -algorithm ed25519).`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface KeySource {
  /** AUDITBOT_SIGNING_KEY: PEM text or the path of a PEM file. */
  setting: string | undefined;
  /** Where a key is generated when none is set. */
  generatedPath: string;
  warn: (message: string) => void;
}

/**
 * The configured key, or the one generated into the data directory on first use (with a warning
 * naming the file: whoever can read it can sign checkpoints, and several instances must share one).
 */
export function loadSigningKey(source: KeySource): SigningKey {
  const setting = source.setting?.trim();
  if (setting) {
    if (setting.startsWith('-----BEGIN')) return fromPrivatePem(setting, 'PEM text');
    if (!existsSync(setting)) {
      // Never echo the value: it may be key material that lost its BEGIN line.
      throw new ConfigError(
        'AUDITBOT_SIGNING_KEY is neither PEM text (-----BEGIN PRIVATE KEY-----…) nor the path of an existing file.',
      );
    }
    return fromPrivatePem(readFileSync(setting, 'utf8'), setting);
  }
  const path = resolve(source.generatedPath);
  if (existsSync(path)) return fromPrivatePem(readFileSync(path, 'utf8'), path);
  const { privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(path), { recursive: true });
  // Written whole under a temporary name, then linked into place: of two processes starting
  // together one key wins, and the other reads it, never a half-written file.
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fromPrivatePem(readFileSync(path, 'utf8'), path);
  } finally {
    rmSync(temporary, { force: true });
  }
  source.warn(
    `AUDITBOT_SIGNING_KEY is not set: generated an Ed25519 checkpoint signing key at ${path}. ` +
      'Keep it secret and back it up; set AUDITBOT_SIGNING_KEY to it on every instance.',
  );
  return fromPrivatePem(readFileSync(path, 'utf8'), path);
}

/** A public key from PEM text or a PEM file (verify --public-key). */
export function readPublicKey(textOrPath: string): KeyObject {
  const isPem = textOrPath.trim().startsWith('-----BEGIN');
  if (!isPem && !existsSync(textOrPath))
    throw new ConfigError('The public key is neither PEM text nor an existing file.');
  const text = isPem ? textOrPath : readFileSync(textOrPath, 'utf8');
  try {
    return createPublicKey(text);
  } catch (error) {
    throw new ConfigError(`The public key is not PEM (${(error as Error).message}).`);
  }
}
