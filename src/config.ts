import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import type { LogLevel } from './logger.js';

/** A person allowed to use auditbot, as `platform:id` (`slack:U123`, `teams:<aad object id>`, `console:alice`). */
export const AdminRefSchema = z
  .string()
  .trim()
  .regex(/^(slack|teams|console):\S+$/, 'expected slack:<userId>, teams:<aadObjectId> or console:<name>');

const TenantSchema = z.object({
  customerId: z.string().trim().min(1),
  name: z.string().trim().min(1).optional(),
  slackTeamId: z.string().trim().min(1).optional(),
  teamsTenantId: z.string().trim().min(1).optional(),
  admins: z.array(AdminRefSchema).default([]),
  ingestToken: z.string().min(16, 'ingest tokens must be at least 16 characters').optional(),
  regions: z.array(z.string().trim().toLowerCase()).default([]),
  alerts: z
    .object({ slackChannel: z.string().optional(), teamsConversation: z.string().optional() })
    .partial()
    .default({}),
  /** Admin Console page templates per entity type: `{entityKey}` and `{customerId}` are substituted. */
  editUrls: z.record(z.string(), z.url()).default({}),
  eightx8: z
    .array(
      z.object({
        service: z.string().default('platform'),
        region: z.string().optional(),
        apiKey: z.string().min(1),
        baseUrl: z.url().optional(),
      }),
    )
    .default([]),
  /** 8x8 user-management API (`GET /admin-provisioning/users/{id}`), used only to show names for ids. */
  eightx8Users: z.object({ apiKey: z.string().min(1), baseUrl: z.url().optional() }).optional(),
});
export type TenantConfig = z.infer<typeof TenantSchema>;

const ConfigFileSchema = z.object({ tenants: z.array(TenantSchema).min(1) });

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** The 8x8 Audit Records API production base URL (the OpenAPI document's server). */
export const DEFAULT_EIGHTX8_API_URL = 'https://api.8x8.com/administration/audit/v1';

const EnvSchema = z.object({
  DATABASE_URL: z.string().trim().min(1).default('sqlite:./data/auditbot.db'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  AUDITBOT_CUSTOMER_ID: z.string().trim().min(1).default('demo-customer'),
  AUDITBOT_ADMINS: z.string().default(''),
  AUDITBOT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  AUDITBOT_INGEST_TOKEN: z.string().min(16, 'must be at least 16 characters (use a random secret)').optional(),
  AUDITBOT_CONFIG: z.string().trim().min(1).optional(),
  AUDITBOT_REPORT_DIR: z.string().trim().min(1).default('./data/reports'),
  AUDITBOT_SIGNING_KEY: z.string().trim().min(1).optional(),
  AUDITBOT_PAGE_SIZE: z.coerce.number().int().min(1).max(20).default(10),
  AUDITBOT_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  EIGHTX8_API_KEY: z.string().trim().min(1).optional(),
  EIGHTX8_API_URL: z.url().default(DEFAULT_EIGHTX8_API_URL),
  EIGHTX8_SERVICES: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9_-]+(\s*,\s*[A-Za-z0-9_-]+)*$/,
      'expected service names separated by commas, e.g. platform,vccss',
    )
    .optional(),
  EIGHTX8_REGION: z.string().trim().toLowerCase().min(1).optional(),
  EIGHTX8_POLL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  EIGHTX8_OVERLAP_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
  EIGHTX8_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(100),
  EIGHTX8_USERS_API_KEY: z.string().trim().min(1).optional(),
  EIGHTX8_USERS_API_URL: z.url().optional(),
  AUDITBOT_ALERT_SLACK_CHANNEL: z.string().trim().min(1).optional(),
  AUDITBOT_ALERT_TEAMS_CONVERSATION: z.string().trim().min(1).optional(),
  AUDITBOT_ALERT_REDACT: z.string().optional(),
  AUDITBOT_ALERT_DIGEST_THRESHOLD: z.coerce.number().int().min(1).max(10_000).default(5),
  AUDITBOT_ALERT_DIGEST_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  AUDITBOT_ALERT_FRESHNESS_HOURS: z.coerce.number().min(0.01).max(8760).default(24),
  AUDITBOT_ALERT_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
});

/** Detail attributes masked in alert posts unless AUDITBOT_ALERT_REDACT says otherwise. */
export const DEFAULT_ALERT_REDACT = [
  'password',
  'passcode',
  'pin',
  'secret',
  'token',
  'apiKey',
  'credential',
  'privateKey',
];

/** How alerts are matched and collapsed (ARCHITECTURE §7), for every tenant. */
export interface AlertSettings {
  /** Attribute names masked in channel posts (compared case- and separator-insensitively). */
  redact: string[];
  /** More than this many alerts waiting for one destination within the window → one digest. */
  digestThreshold: number;
  digestWindowSeconds: number;
  /** Events older than this (by auditTimestamp) never alert: importing last year's report pages no one. */
  freshnessHours: number;
  /** How long an instance's claim on a destination's alerts lasts; a dead instance's work resumes after it. */
  leaseSeconds: number;
}

export const DEFAULT_ALERT_LEASE_SECONDS = 60;

/** How the 8x8 API sync runs, for every tenant. */
export interface EightX8SyncConfig {
  pollSeconds: number;
  overlapMinutes: number;
  /** Client-side requests per rolling minute per API key; 0 turns the limit off. */
  rateLimitPerMinute: number;
}

export interface AppConfig {
  databaseUrl: string;
  port: number;
  retentionDays: number;
  reportDirectory: string;
  pageSize: number;
  logLevel: LogLevel;
  /** The tenant the console, the CLI and unbound Slack/Teams workspaces use. */
  defaultTenant: TenantConfig;
  tenants: TenantConfig[];
  eightx8Sync: EightX8SyncConfig;
  /** Optional so hand-built configs stay valid; loadConfig always sets it. */
  alerts?: AlertSettings;
  /** Checkpoint signing (src/chain/); optional so hand-built configs stay valid. */
  evidence?: EvidenceConfig;
}

export interface EvidenceConfig {
  /** AUDITBOT_SIGNING_KEY: PEM text or a PEM file's path (src/chain/evidence.ts says where one is generated otherwise). */
  signingKey?: string;
}

type Env = Record<string, string | undefined>;

function describeIssues(error: z.ZodError, prefix: (path: PropertyKey[]) => string): string {
  return error.issues.map((issue) => `${prefix(issue.path)}: ${issue.message}`).join('; ');
}

function parseAdmins(list: string): string[] {
  const refs = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const ref of refs) {
    if (!AdminRefSchema.safeParse(ref).success) {
      throw new ConfigError(
        `AUDITBOT_ADMINS: "${ref}" is not an admin reference — use slack:<userId>, teams:<aadObjectId> or console:<name>, separated by commas`,
      );
    }
  }
  return refs;
}

function readConfigFile(path: string): z.infer<typeof ConfigFileSchema> {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    throw new ConfigError(`AUDITBOT_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `AUDITBOT_CONFIG: ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`AUDITBOT_CONFIG (${path}): ${describeIssues(parsed.error, (p) => p.join('.') || 'file')}`);
  }
  return parsed.data;
}

function assertUniqueBindings(tenants: TenantConfig[]): void {
  for (const key of ['customerId', 'slackTeamId', 'teamsTenantId', 'ingestToken'] as const) {
    const seen = new Set<string>();
    for (const tenant of tenants) {
      const value = tenant[key];
      if (value === undefined) continue;
      if (seen.has(value)) {
        const shown = key === 'ingestToken' ? '(a token)' : value;
        throw new ConfigError(`AUDITBOT_CONFIG: ${key} ${shown} is used by two tenants; each must be bound to one`);
      }
      seen.add(value);
    }
  }
}

/**
 * The single-tenant 8x8 sources: one per service in EIGHTX8_SERVICES, all with the same key. Naming a
 * service or region without a key is a half-done setup, refused rather than silently not syncing.
 */
function eightx8FromEnv(e: z.infer<typeof EnvSchema>): TenantConfig['eightx8'] {
  const apiKey = e.EIGHTX8_API_KEY;
  if (!apiKey) {
    const orphan = (['EIGHTX8_SERVICES', 'EIGHTX8_REGION'] as const).find((k) => e[k]);
    if (orphan) {
      throw new ConfigError(
        `EIGHTX8_API_KEY: missing, but ${orphan} is set — create an API key in the 8x8 Admin Console under API Keys and set EIGHTX8_API_KEY, or unset ${orphan}`,
      );
    }
    return [];
  }
  const services = [...new Set((e.EIGHTX8_SERVICES ?? 'platform').split(',').map((s) => s.trim().toLowerCase()))];
  return services.map((service) => ({
    service,
    region: e.EIGHTX8_REGION,
    apiKey,
    baseUrl: e.EIGHTX8_API_URL,
  }));
}

/** Reads and validates configuration once, from an injected environment; fails fast naming the variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, (p) => String(p[0] ?? 'environment')));
  const e = parsed.data;
  const envAdmins = parseAdmins(e.AUDITBOT_ADMINS);

  const fileTenants = e.AUDITBOT_CONFIG ? readConfigFile(e.AUDITBOT_CONFIG).tenants : [];
  const envSources = eightx8FromEnv(e);
  const envUsers = e.EIGHTX8_USERS_API_KEY
    ? { apiKey: e.EIGHTX8_USERS_API_KEY, baseUrl: e.EIGHTX8_USERS_API_URL }
    : undefined;
  const envAlerts = {
    ...(e.AUDITBOT_ALERT_SLACK_CHANNEL ? { slackChannel: e.AUDITBOT_ALERT_SLACK_CHANNEL } : {}),
    ...(e.AUDITBOT_ALERT_TEAMS_CONVERSATION ? { teamsConversation: e.AUDITBOT_ALERT_TEAMS_CONVERSATION } : {}),
  };
  const envTenant = TenantSchema.parse({
    customerId: e.AUDITBOT_CUSTOMER_ID,
    admins: envAdmins,
    ingestToken: e.AUDITBOT_INGEST_TOKEN,
    eightx8: envSources,
    eightx8Users: envUsers,
    alerts: envAlerts,
  });
  const fromFile = fileTenants.find((t) => t.customerId === e.AUDITBOT_CUSTOMER_ID) ?? fileTenants[0];
  const defaultTenant = fromFile
    ? {
        ...fromFile,
        admins: [...new Set([...fromFile.admins, ...envAdmins])],
        ingestToken: fromFile.ingestToken ?? e.AUDITBOT_INGEST_TOKEN,
        eightx8: fromFile.eightx8.length > 0 ? fromFile.eightx8 : envSources,
        eightx8Users: fromFile.eightx8Users ?? envUsers,
        alerts: { ...envAlerts, ...fromFile.alerts },
      }
    : envTenant;
  const tenants = fromFile ? fileTenants.map((t) => (t === fromFile ? defaultTenant : t)) : [envTenant];
  assertUniqueBindings(tenants);

  return {
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    retentionDays: e.AUDITBOT_RETENTION_DAYS,
    reportDirectory: e.AUDITBOT_REPORT_DIR,
    pageSize: e.AUDITBOT_PAGE_SIZE,
    logLevel: e.AUDITBOT_LOG_LEVEL,
    defaultTenant,
    tenants,
    eightx8Sync: {
      pollSeconds: e.EIGHTX8_POLL_SECONDS,
      overlapMinutes: e.EIGHTX8_OVERLAP_MINUTES,
      rateLimitPerMinute: e.EIGHTX8_RATE_LIMIT_PER_MINUTE,
    },
    evidence: e.AUDITBOT_SIGNING_KEY ? { signingKey: e.AUDITBOT_SIGNING_KEY } : {},
    alerts: {
      redact:
        e.AUDITBOT_ALERT_REDACT === undefined
          ? DEFAULT_ALERT_REDACT
          : e.AUDITBOT_ALERT_REDACT.split(',')
              .map((name) => name.trim())
              .filter(Boolean),
      digestThreshold: e.AUDITBOT_ALERT_DIGEST_THRESHOLD,
      digestWindowSeconds: e.AUDITBOT_ALERT_DIGEST_WINDOW_SECONDS,
      freshnessHours: e.AUDITBOT_ALERT_FRESHNESS_HOURS,
      leaseSeconds: e.AUDITBOT_ALERT_LEASE_SECONDS,
    },
  };
}
