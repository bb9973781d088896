import pg from 'pg';
import { describe, it } from 'vitest';

/** The PostgreSQL server tests use: this machine's, unless AUDITBOT_TEST_DATABASE_URL says otherwise. */
export const TEST_DATABASE_URL = process.env.AUDITBOT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** null when the server answers, else why not (an error code). */
export async function probePostgres(url = TEST_DATABASE_URL): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether a PostgreSQL test file can run. An unreachable server is a failure under CI (a test that
 * says so) and a skip with a note on a developer's machine.
 */
export async function postgresAvailable(file: string): Promise<boolean> {
  const unreachable = await probePostgres();
  if (unreachable === null) return true;
  const shown = new URL(TEST_DATABASE_URL);
  shown.password = '';
  const why =
    `PostgreSQL at ${shown.host}${shown.pathname} is unreachable (${unreachable}); start it ` +
    '(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set AUDITBOT_TEST_DATABASE_URL';
  if (process.env.CI) {
    describe(file, () => {
      it('needs a reachable PostgreSQL server in CI', () => {
        throw new Error(why);
      });
    });
  } else process.stderr.write(`\nSKIPPED ${file}: ${why}\n`);
  return false;
}

/** A schema name no other run uses; drop it with dropSchemas when done. */
export function uniqueSchema(label: string): string {
  return `auditbot_${label}_${process.pid}_${Date.now().toString(36)}`;
}

export async function dropSchemas(schemas: readonly string[], url = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * The schemas of one test file: `fresh()` names a new one (`label` and this run in its name), and
 * `dropAll()` drops every one handed out, for the file's afterAll.
 */
export function testSchemas(label: string): { fresh(): string; dropAll(): Promise<void> } {
  const run = uniqueSchema(label);
  const handedOut: string[] = [];
  return {
    fresh() {
      const schema = `${run}_${handedOut.length + 1}`;
      handedOut.push(schema);
      return schema;
    },
    async dropAll() {
      if (handedOut.length > 0) await dropSchemas(handedOut);
    },
  };
}
