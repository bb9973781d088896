import { runConsole } from '../../../adapters/console/console.js';
import { createAuditbot } from '../../app.js';
import type { AppConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { consoleUserName, parseVerbArgs } from '../usage.js';

/** `console`: the chat on this terminal, or one reply per line of piped standard input. */
export async function consoleVerb(args: string[], config: AppConfig): Promise<number> {
  parseVerbArgs(args, {}, false);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const auditbot = await createAuditbot(config, { logger });
  try {
    await runConsole({
      bot: auditbot.bot,
      input: process.stdin,
      output: process.stdout,
      principal: { platform: 'console', id: consoleUserName(process.env) },
      interactive,
      greeting: interactive
        ? 'auditbot console — type `help`, or a query such as `op:delete when:7d`. `exit` quits.'
        : undefined,
    });
  } finally {
    await auditbot.close();
  }
  return 0;
}
