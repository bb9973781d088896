/** Who is asking, as the surface that received the request knows them. */
export type Platform = 'slack' | 'teams' | 'console';

export interface Principal {
  platform: Platform;
  /** Slack user id, Teams AAD object id, or the console's user name. */
  id: string;
  /** Display name, when the platform told us. */
  name?: string;
}

/** `slack:U123` — the form used in AUDITBOT_ADMINS and the config file. */
export function principalRef(principal: Principal): string {
  return `${principal.platform}:${principal.id}`;
}
