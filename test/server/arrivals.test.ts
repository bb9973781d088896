import { describe, expect, it } from 'vitest';
import { arrivalCount } from '../../src/server/arrivals.js';
import { createHttpApp, listen } from '../../src/server/http-server.js';
import { startTestAuditbot } from '../helpers/auditbot.js';

describe('arrivals', () => {
  it('counts the connections and requests a listening server takes in', async () => {
    const bot = await startTestAuditbot();
    const server = await listen(
      createHttpApp({ config: bot.config, store: bot.store, logger: bot.logger, metrics: bot.metrics }),
      0,
      '127.0.0.1',
    );
    try {
      const before = arrivalCount();
      const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(res.status).toBe(200);
      // One new connection and one request on it.
      expect(arrivalCount() - before).toBeGreaterThanOrEqual(2);
    } finally {
      await server.close();
      await bot.dispose();
    }
  });
});
