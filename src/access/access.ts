import type { AppConfig, TenantConfig } from '../config.js';
import type { Principal } from './principal.js';
import { principalRef } from './principal.js';

/** Where a request came from, as far as tenancy goes. */
export type Workspace =
  | { platform: 'slack'; teamId: string }
  | { platform: 'teams'; tenantId: string }
  | { platform: 'console' };

/**
 * The tenant a workspace is bound to. A workspace named in the config file maps to its tenant;
 * with a single tenant that binds no workspace, every workspace this bot is installed in is that
 * tenant. Otherwise: none — and nothing is answered (ARCHITECTURE §8).
 */
export function tenantFor(config: AppConfig, workspace: Workspace): TenantConfig | null {
  if (workspace.platform === 'console') return config.defaultTenant;
  const bound = config.tenants.find((t) =>
    workspace.platform === 'slack' ? t.slackTeamId === workspace.teamId : t.teamsTenantId === workspace.tenantId,
  );
  if (bound) return bound;
  const single = config.tenants.length === 1 ? config.tenants[0] : undefined;
  if (single && single.slackTeamId === undefined && single.teamsTenantId === undefined) return single;
  return null;
}

/** Console users are operators of the machine auditbot runs on: admins of the default tenant. */
export function isAdmin(tenant: TenantConfig, principal: Principal, defaultTenant: TenantConfig): boolean {
  if (principal.platform === 'console') return tenant.customerId === defaultTenant.customerId;
  return tenant.admins.includes(principalRef(principal));
}
