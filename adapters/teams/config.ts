import { z } from 'zod';
import { ConfigError } from '../../src/errors.js';

/** Teams settings, under the names botbuilder and the Azure Bot resource use. */
export interface TeamsConfig {
  appId: string | null;
  appPassword: string | null;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  appTenantId: string | null;
  /** No app id and the operator asked for it: the endpoint runs without Bot Framework tokens. */
  unauthenticated: boolean;
  reportLinkMinutes: number;
  /** Public origin (https://auditbot.example.com) for report links; else taken from the request. */
  publicUrl: string | null;
}

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const EnvSchema = z.object({
  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MICROSOFT_APP_TENANT_ID: optional,
  AUDITBOT_TEAMS_ALLOW_UNAUTHENTICATED: z.enum(['true', 'false', '']).default('false'),
  AUDITBOT_REPORT_LINK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  AUDITBOT_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
});

/**
 * Reads the Teams settings; null when Teams is not configured at all (no app id and no explicit
 * unauthenticated mode). Fails fast with a sentence naming the variable.
 */
export function loadTeamsConfig(env: Record<string, string | undefined> = process.env): TeamsConfig | null {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0] ?? 'Teams environment')}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  const appId = e.MICROSOFT_APP_ID ?? null;
  const unauthenticated = appId === null && e.AUDITBOT_TEAMS_ALLOW_UNAUTHENTICATED === 'true';
  if (appId === null && !unauthenticated) return null;
  if (appId !== null && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !e.MICROSOFT_APP_PASSWORD) {
    throw new ConfigError(
      'MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID (the client secret of the bot registration)',
    );
  }
  if (appId !== null && e.MICROSOFT_APP_TYPE !== 'MultiTenant' && !e.MICROSOFT_APP_TENANT_ID) {
    throw new ConfigError(`MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE is ${e.MICROSOFT_APP_TYPE}`);
  }
  return {
    appId,
    appPassword: e.MICROSOFT_APP_PASSWORD ?? null,
    appType: e.MICROSOFT_APP_TYPE,
    appTenantId: e.MICROSOFT_APP_TENANT_ID ?? null,
    unauthenticated,
    reportLinkMinutes: e.AUDITBOT_REPORT_LINK_MINUTES,
    publicUrl: e.AUDITBOT_PUBLIC_URL ? e.AUDITBOT_PUBLIC_URL.replace(/\/+$/, '') : null,
  };
}
