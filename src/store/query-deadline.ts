import { AuditbotError } from '../errors.js';

/*
 * Every search and count a command makes is bounded in time at the store, whatever the query: past
 * the deadline the store stops it (PostgreSQL statement_timeout; on SQLite a per-row check that
 * aborts the statement) and the admin is told to narrow it. The parser's limits (query-limits.ts)
 * keep real queries far below this; it is the backstop that keeps one admin from stalling the rest.
 */
export const QUERY_DEADLINE_MS = 2000;

export function queryTooBroad(deadlineMs: number, cause?: unknown): AuditbotError {
  return new AuditbotError(
    'query_too_broad',
    `This query is too broad — it ran past ${deadlineMs / 1000} s and was stopped; narrow it with when:/op:/who:.`,
    {
      hint: 'A shorter window (when:7d), an operation (op:delete) or a person (who:alice) finds the same changes faster.',
      cause,
    },
  );
}
