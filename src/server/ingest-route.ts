import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AppConfig, TenantConfig } from '../config.js';
import { AuditbotError, isAuditbotError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { ingestEvents, parseIngestBody } from '../sources/ingest.js';
import type { EventStore } from '../store/event-store.js';
import { isStoreUnavailable, storeUnavailableError } from '../store/unavailable.js';

export const INGEST_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/** application/json, any +json type, and the NDJSON / JSON Lines / JSON text sequence types. */
const JSON_TYPES = /^application\/(json|[\w.-]+\+json|x-ndjson|ndjson|jsonl|x-jsonlines|json-seq)$/;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The tenant whose ingest token this is; constant-time comparison over every configured token. */
export function tenantForToken(tenants: TenantConfig[], token: string): TenantConfig | null {
  const offered = digest(token);
  let match: TenantConfig | null = null;
  for (const tenant of tenants) {
    if (tenant.ingestToken && timingSafeEqual(offered, digest(tenant.ingestToken))) match = tenant;
  }
  return match;
}

function sendError(res: Response, status: number, error: string, message: string, hint?: string): void {
  res.status(status).json(hint ? { error, message, hint } : { error, message });
}

/** `POST /v1/events`: bearer token → tenant, JSON array or NDJSON up to 5 MB, per-event results. */
export function ingestRouter(deps: { config: AppConfig; store: EventStore; logger: Logger; metrics: Metrics }): Router {
  const router = express.Router();
  const tokensConfigured = deps.config.tenants.some((t) => t.ingestToken);

  const authenticate = (req: Request, res: Response, next: NextFunction) => {
    if (!tokensConfigured) {
      return sendError(
        res,
        401,
        'ingest_disabled',
        'Ingest is disabled on this server: no ingest token is configured.',
        'Set AUDITBOT_INGEST_TOKEN (or ingestToken per tenant in AUDITBOT_CONFIG) and restart.',
      );
    }
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const tenant = match?.[1] ? tenantForToken(deps.config.tenants, match[1]) : null;
    if (!tenant) {
      return sendError(
        res,
        401,
        'unauthorized',
        'Missing or invalid bearer token.',
        'Send Authorization: Bearer <AUDITBOT_INGEST_TOKEN>.',
      );
    }
    res.locals.tenant = tenant;
    next();
  };

  /** Only JSON and NDJSON are events; a form post or a CSV upload is refused before its body is read. */
  const acceptJson = (req: Request, res: Response, next: NextFunction) => {
    const type = (req.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (JSON_TYPES.test(type)) return next();
    const refusal = new AuditbotError(
      'unsupported_media_type',
      type === ''
        ? 'The request has no Content-Type; events are JSON or NDJSON.'
        : `Content-Type ${type} is not JSON; events are JSON or NDJSON.`,
      {
        hint: 'Send Content-Type: application/json (an array or one event) or application/x-ndjson (one event per line); to load a CSV report, use `auditbot import <file>`.',
      },
    );
    return sendError(res, refusal.status, refusal.code, refusal.message, refusal.hint);
  };

  router.post(
    '/v1/events',
    authenticate,
    acceptJson,
    express.raw({ type: () => true, limit: INGEST_BODY_LIMIT_BYTES }),
    async (req: Request, res: Response) => {
      const tenant = res.locals.tenant as TenantConfig;
      const body: unknown = req.body;
      const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return sendError(
          res,
          400,
          'invalid_encoding',
          'The request body is not valid UTF-8.',
          'Encode the events as UTF-8 JSON.',
        );
      }
      try {
        const items = parseIngestBody(text, req.get('content-type'));
        const result = await ingestEvents(deps.store, items, tenant.customerId);
        deps.metrics.eventsStored.inc({ source: 'ingest', outcome: 'inserted' }, result.accepted);
        deps.metrics.eventsStored.inc({ source: 'ingest', outcome: 'duplicate' }, result.duplicate);
        deps.metrics.eventsStored.inc({ source: 'ingest', outcome: 'rejected' }, result.rejected);
        deps.logger.info('ingest', {
          customerId: tenant.customerId,
          accepted: result.accepted,
          duplicate: result.duplicate,
          rejected: result.rejected,
        });
        res.status(200).json(result);
      } catch (error) {
        const known = isStoreUnavailable(error) ? storeUnavailableError(error) : error;
        if (known !== error) deps.logger.warn('ingest refused: store unavailable', { error });
        if (isAuditbotError(known)) return sendError(res, known.status, known.code, known.message, known.hint);
        throw error;
      }
    },
  );

  // Body-parser errors (too large, aborted) for this router: answer in JSON, not HTML.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
    if (status === 413) {
      return sendError(
        res,
        413,
        'too_large',
        `The request body is larger than ${INGEST_BODY_LIMIT_BYTES / 1024 / 1024} MB.`,
        'Split the events into several requests, or use `auditbot import` for files.',
      );
    }
    if (status >= 400 && status < 500)
      return sendError(res, status, 'bad_request', 'The request body could not be read.');
    next(error);
  });
  return router;
}
