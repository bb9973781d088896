import type { webApi } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';

/** Whether a Slack user is a workspace admin/owner the operator chose to trust. */
export type WorkspaceAdminCheck = (client: webApi.WebClient, userId: string) => Promise<boolean>;

/** Admin status changes rarely; a few minutes of cache keeps users.info off the hot path. */
const TTL_MS = 5 * 60_000;

/**
 * With AUDITBOT_SLACK_WORKSPACE_ADMINS=true, users.info decides (is_admin / is_owner); otherwise
 * nobody is a workspace admin and users.info is never called. A failed lookup counts as "no".
 */
export function createWorkspaceAdminCheck(options: {
  enabled: boolean;
  logger: Logger;
  clock?: () => number;
}): WorkspaceAdminCheck {
  if (!options.enabled) return async () => false;
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, { admin: boolean; at: number }>();
  return async (client, userId) => {
    const cached = cache.get(userId);
    if (cached && clock() - cached.at < TTL_MS) return cached.admin;
    try {
      const info = await client.users.info({ user: userId });
      const admin =
        info.user?.is_admin === true || info.user?.is_owner === true || info.user?.is_primary_owner === true;
      cache.set(userId, { admin, at: clock() });
      return admin;
    } catch (error) {
      options.logger.warn('users.info failed; treating the user as not a workspace admin', { userId, error });
      return false;
    }
  };
}
