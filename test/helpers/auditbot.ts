import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Auditbot, createAuditbot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';

/** A fixed "now" for tests: 2026-11-26T12:00:00Z. */
export const NOW = Date.parse('2026-11-26T12:00:00.000Z');

export interface TestAuditbot extends Auditbot {
  directory: string;
  dispose(): Promise<void>;
}

/** A real auditbot on a temporary SQLite file, with a fixed clock and quiet logs. */
export async function startTestAuditbot(
  env: Record<string, string> = {},
  clock: () => number = () => NOW,
): Promise<TestAuditbot> {
  const directory = mkdtempSync(join(tmpdir(), 'auditbot-test-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(directory, 'auditbot.db')}`,
    AUDITBOT_CUSTOMER_ID: 'cust-1',
    AUDITBOT_ADMINS: 'slack:UADMIN,teams:aad-admin',
    AUDITBOT_REPORT_DIR: join(directory, 'reports'),
    AUDITBOT_LOG_LEVEL: 'silent',
    ...env,
  });
  const auditbot = await createAuditbot(config, {
    clock,
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics({ defaultMetrics: false }),
  });
  return {
    ...auditbot,
    directory,
    dispose: async () => {
      await auditbot.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A valid platform event; override what the test is about. */
export function platformEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  counter += 1;
  return {
    id: `evt-${counter}`,
    customerId: 'cust-1',
    auditTimestamp: new Date(NOW - counter * 60_000).toISOString(),
    eventType: 'update',
    service: 'platform',
    entityType: 'ringgroup',
    entityKey: `rg-${counter}`,
    displayName: `Ring group ${counter}`,
    auditUserId: 'u-alice',
    impersonator: null,
    details: { new: { name: 'new' }, old: { name: 'old' } },
    rawDetails: null,
    correlationType: null,
    correlationId: null,
    accessMethod: 'Admin Console',
    region: null,
    source: 'ingest',
    ...overrides,
  };
}

/** The user-entity event that gives `u-alice` her name. */
export function userEvent(id: string, name: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return platformEvent({
    id: `user-${id}`,
    eventType: 'create',
    entityType: 'user',
    entityKey: id,
    displayName: name,
    details: { new: { firstName: name.split(' ')[0], lastName: name.split(' ')[1] ?? '' } },
    auditTimestamp: new Date(NOW - 80 * 86_400_000).toISOString(),
    ...overrides,
  });
}
