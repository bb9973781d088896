import type { AppConfig } from '../../config.js';
import { UsageError } from '../usage.js';

/** `sync`: the 8x8 Audit Records API client arrives with its own issue; say so plainly until then. */
export async function syncVerb(_args: string[], _config: AppConfig): Promise<number> {
  throw new UsageError(
    'syncing from the 8x8 Audit Records API is not available in this version yet. Import an Admin Console CSV report with `auditbot import <file>` meanwhile.',
  );
}
