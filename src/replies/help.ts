import type { HelpReply } from './reply.js';

/** The help every surface shows; adapters prefix commands with `/audit` or `audit`. */
export function helpReply(): HelpReply {
  return {
    kind: 'help',
    commands: [
      { usage: '<query>', description: 'search audit events, newest first (same as `search <query>`)' },
      { usage: 'show <eventId>', description: 'one event with its changes: old values in red, new in green' },
      { usage: 'report <query>', description: 'CSV report of every match (50,000 rows per file, numbered parts)' },
      { usage: 'filter [query]', description: 'open the filter form, prefilled with the query' },
      { usage: 'status', description: 'store size, oldest/newest event, retention and freshness per source' },
      { usage: 'verify', description: 'recompute the tamper-evident chain and check its signed checkpoints' },
      {
        usage: 'alerts [add <query> [to <channel>] | remove | mute <id> 1h | unmute | test <id>]',
        description: 'alert rules: new matches are posted to a security channel',
      },
      { usage: 'whoami', description: 'your id, your tenant and whether you are an admin' },
      { usage: 'help', description: 'this help' },
    ],
    qualifiers: [
      {
        syntax: 'who:<name|id>',
        description: 'who made the change (name as in the user directory, or the 8x8 user id)',
      },
      { syntax: 'op:create,update,delete,bulk,read,export', description: 'operation; comma = any of' },
      {
        syntax: 'entity:<type>',
        description: 'impacted entity: user, extension, ringgroup, callqueue, queue, agentgroup, …',
      },
      {
        syntax: 'app:platform|cc|auditbot',
        description: 'Admin Console (UC), Contact Center, or auditbot’s own access log',
      },
      { syntax: 'region:uk-eu|us|ca|apac', description: 'Contact Center region' },
      { syntax: 'key:<entityKey>', description: 'one entity by its id' },
      { syntax: 'impersonated:yes|no', description: 'changes made by support/partner users on someone’s behalf' },
      { syntax: 'via:<accessMethod>', description: 'gateway or app used (Admin Console, API, …)' },
      { syntax: 'corr:<correlationId>', description: 'every change of one change set' },
      { syntax: 'when:today|24h|7d|30d|90d', description: 'preset window (default: the whole retention window)' },
      { syntax: 'since:<date|7d|12h>  until:<date>', description: 'custom window, UTC; dates like 2026-11-01' },
      { syntax: '"free text"  words', description: 'match names, keys and details; all words must match' },
      { syntax: '-op:read', description: 'a leading minus excludes' },
    ],
    examples: [
      'op:delete when:7d',
      'Sales entity:ringgroup op:delete',
      'who:alice op:update since:2026-11-01',
      'app:cc region:uk-eu entity:queue when:7d',
      'impersonated:yes when:30d',
      'report when:90d',
    ],
  };
}
