import type { Principal } from '../access/principal.js';
import type { SigningKey } from '../chain/signing-key.js';
import type { AppConfig, TenantConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { EventStore } from '../store/event-store.js';
import type { ActorDirectory } from './actor-directory.js';

/** What every command may use; injected once when the bot is created. */
export interface BotDeps {
  store: EventStore;
  config: AppConfig;
  logger: Logger;
  /** Epoch ms; injected so tests control time. */
  clock: () => number;
  actors: ActorDirectory;
  /** The checkpoint key (src/chain/), loaded or generated on first use: reports sign their proofs with it. */
  signingKey: () => SigningKey;
}

/** Paging state that adapters carry in buttons / card data between requests. */
export interface PageRequest {
  cursor: string | null;
  previousCursors: (string | null)[];
}

/** One command invocation by an authorised admin of `tenant`. */
export interface CommandContext extends BotDeps {
  principal: Principal;
  tenant: TenantConfig;
  now: number;
  /** The text after the sub-command word (`show <this>`), trimmed. */
  args: string;
  page: PageRequest | undefined;
  /** Event lists include each event's changes. */
  withChanges?: boolean;
  logger: Logger;
}
