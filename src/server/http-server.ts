import type { Server } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { AppConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { EventStore } from '../store/event-store.js';
import { storeUnavailableError } from '../store/unavailable.js';
import { countArrivals } from './arrivals.js';
import { ingestRouter } from './ingest-route.js';

export interface HttpDeps {
  config: AppConfig;
  store: EventStore;
  logger: Logger;
  metrics: Metrics;
  /** Platform endpoints (Slack, Teams) mount themselves here. */
  mounts?: ((app: Express) => void)[];
}

/** The HTTP edge: health, metrics, ingest, and whatever the adapters mount. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    res.on('finish', () =>
      deps.metrics.httpRequests.inc({ route: req.route?.path ?? 'other', status: String(res.statusCode) }),
    );
    next();
  });
  app.get('/healthz', async (_req, res) => {
    try {
      await deps.store.getState('healthz');
      res.json({ status: 'ok', store: deps.store.kind });
    } catch (error) {
      deps.logger.error('health check failed', { error });
      res
        .status(503)
        .json({ status: 'unavailable', store: deps.store.kind, message: storeUnavailableError(error).message });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.use(ingestRouter(deps));
  for (const mount of deps.mounts ?? []) mount(app);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'No such endpoint.' });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error('request failed', { error });
    res.status(500).json({ error: 'internal', message: 'Something went wrong; see the server log.' });
  });
  return app;
}

export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Why the server cannot listen, in one sentence naming PORT, decided by the error code. */
function listenError(port: number, host: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'EADDRINUSE') {
    return new ConfigError(
      `PORT ${port} is already in use on ${host} — stop the program holding it, or set PORT to a free port.`,
    );
  }
  if (error.code === 'EACCES') {
    return new ConfigError(`PORT ${port} needs privileges auditbot does not have — set PORT to 1024 or above.`);
  }
  return error;
}

/** Listens on the port (0 = a free one) and resolves once it is accepting connections. */
export function listen(app: Express, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    countArrivals(server);
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(port, host, error)));
    server.once('listening', () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        server,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
