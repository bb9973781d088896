import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics for one process; served at /metrics. */
export interface Metrics {
  registry: Registry;
  commands: Counter<'command' | 'platform' | 'outcome'>;
  commandSeconds: Histogram<'command'>;
  eventsStored: Counter<'source' | 'outcome'>;
  httpRequests: Counter<'route' | 'status'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'auditbot_' });
  return {
    registry,
    commands: new Counter({
      name: 'auditbot_commands_total',
      help: 'Bot commands handled, by command, platform and outcome',
      labelNames: ['command', 'platform', 'outcome'],
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: 'auditbot_command_duration_seconds',
      help: 'Time to answer a bot command',
      labelNames: ['command'],
      buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    eventsStored: new Counter({
      name: 'auditbot_events_received_total',
      help: 'Audit events received, by source and outcome (inserted, duplicate, rejected)',
      labelNames: ['source', 'outcome'],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'auditbot_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
  };
}
