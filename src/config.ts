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
});
export type TenantConfig = z.infer<typeof TenantSchema>;

const ConfigFileSchema = z.object({ tenants: z.array(TenantSchema).min(1) });

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const EnvSchema = z.object({
  DATABASE_URL: z.string().trim().min(1).default('sqlite:./data/auditbot.db'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  AUDITBOT_CUSTOMER_ID: z.string().trim().min(1).default('demo-customer'),
  AUDITBOT_ADMINS: z.string().default(''),
  AUDITBOT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  AUDITBOT_INGEST_TOKEN: z.string().min(16, 'must be at least 16 characters (use a random secret)').optional(),
  AUDITBOT_CONFIG: z.string().trim().min(1).optional(),
  AUDITBOT_REPORT_DIR: z.string().trim().min(1).default('./data/reports'),
  AUDITBOT_PAGE_SIZE: z.coerce.number().int().min(1).max(20).default(10),
  AUDITBOT_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

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

/** Reads and validates configuration once, from an injected environment; fails fast naming the variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, (p) => String(p[0] ?? 'environment')));
  const e = parsed.data;
  const envAdmins = parseAdmins(e.AUDITBOT_ADMINS);

  const fileTenants = e.AUDITBOT_CONFIG ? readConfigFile(e.AUDITBOT_CONFIG).tenants : [];
  const envTenant = TenantSchema.parse({
    customerId: e.AUDITBOT_CUSTOMER_ID,
    admins: envAdmins,
    ingestToken: e.AUDITBOT_INGEST_TOKEN,
  });
  const fromFile = fileTenants.find((t) => t.customerId === e.AUDITBOT_CUSTOMER_ID) ?? fileTenants[0];
  const defaultTenant = fromFile
    ? {
        ...fromFile,
        admins: [...new Set([...fromFile.admins, ...envAdmins])],
        ingestToken: fromFile.ingestToken ?? e.AUDITBOT_INGEST_TOKEN,
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
  };
}
