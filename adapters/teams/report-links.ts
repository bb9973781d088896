import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Express } from 'express';
import { tenantFor } from '../../src/access/access.js';
import type { Principal } from '../../src/access/principal.js';
import { type Auditbot, commandContext } from '../../src/app.js';
import { tenantReportDirectory } from '../../src/bot/commands/report.js';
import { recordAccess } from '../../src/bot/record-access.js';
import type { Logger } from '../../src/logger.js';

/** One CSV file offered by link in a channel or group chat; stored so any instance can serve it. */
export interface ReportLinkRecord {
  customerId: string;
  teamsTenantId: string;
  /** Who asked for the report; the download is recorded in their name. */
  principal: Principal;
  path: string;
  name: string;
  rows: number;
  query: string;
  expiresAt: number;
}

export interface ReportLinks {
  /** Stores the record under a fresh unguessable token; returns the download URL. */
  create(record: Omit<ReportLinkRecord, 'expiresAt'>, baseUrl: string): Promise<string>;
  readonly minutes: number;
  mount(app: Express): void;
}

const stateKey = (token: string) => `teams:report-link:${token}`;
/** The CSV itself lives in the store too: the download may reach another instance than the report. */
const fileKey = (token: string) => `teams:report-link:${token}`;
/** 32 random bytes, base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The file must sit in the tenant's own report directory, whatever the stored record says. */
function insideTenantDirectory(root: string, customerId: string, path: string): boolean {
  const directory = resolve(tenantReportDirectory(root, customerId));
  return resolve(path).startsWith(directory + sep);
}

export function createReportLinks(options: { auditbot: Auditbot; minutes: number; logger: Logger }): ReportLinks {
  const { auditbot, minutes, logger } = options;
  return {
    minutes,
    async create(record, baseUrl) {
      const token = randomBytes(32).toString('base64url');
      const stored: ReportLinkRecord = { ...record, expiresAt: auditbot.clock() + minutes * 60_000 };
      await auditbot.store.saveFile(fileKey(token), await readFile(record.path), stored.expiresAt, auditbot.clock());
      await auditbot.store.setState(stateKey(token), stored);
      return `${baseUrl}/reports/${token}`;
    },
    mount(app) {
      app.get('/reports/:token', async (req, res, next) => {
        try {
          res.set({
            'Cache-Control': 'no-store',
            'Referrer-Policy': 'no-referrer',
            'X-Content-Type-Options': 'nosniff',
          });
          const token = req.params.token;
          const record = TOKEN.test(token) ? await auditbot.store.getState<ReportLinkRecord>(stateKey(token)) : null;
          if (!record) {
            res.status(404).type('text/plain').send('No such report link.');
            return;
          }
          if (auditbot.clock() >= record.expiresAt) {
            res.status(410).type('text/plain').send('This report link has expired. Ask auditbot for the report again.');
            return;
          }
          const tenant = tenantFor(auditbot.config, { platform: 'teams', tenantId: record.teamsTenantId });
          if (
            !tenant ||
            tenant.customerId !== record.customerId ||
            !insideTenantDirectory(auditbot.config.reportDirectory, record.customerId, record.path)
          ) {
            logger.warn('report link refused: tenant binding does not match', { customerId: record.customerId });
            res.status(404).type('text/plain').send('No such report link.');
            return;
          }
          const bytes = await auditbot.store.readFile(fileKey(token), auditbot.clock());
          if (!bytes) {
            res
              .status(410)
              .type('text/plain')
              .send('This report file is no longer available. Ask auditbot for the report again.');
            return;
          }
          await recordAccess(commandContext(auditbot, record.principal, tenant, ''), {
            eventType: 'export',
            entityType: 'report',
            entityKey: record.query,
            displayName: `report download: ${record.name}`,
            details: { query: record.query, rows: record.rows, file: record.name, delivery: 'teams link' },
          });
          res
            .status(200)
            .type('text/csv; charset=utf-8')
            .attachment(record.name)
            .set('Content-Length', String(bytes.length))
            .end(bytes);
        } catch (error) {
          next(error);
        }
      });
    },
  };
}
