import type Database from 'better-sqlite3';

const MAX_CACHED = 256;

/**
 * Prepared statements by SQL text. Searches build their SQL from the filter's shape (not its
 * values), so a handful of texts repeat; preparing each once keeps a page close to raw SQL cost.
 * Bounded: the oldest entry goes when full (IN lists of many lengths could otherwise grow it).
 */
export class StatementCache {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** A statement returning rows as positional arrays (see rows.ts). */
  raw(sql: string): Database.Statement {
    return this.lookup(`raw:${sql}`, () => this.db.prepare(sql).raw(true));
  }

  /** A statement returning the first column of each row. */
  pluck(sql: string): Database.Statement {
    return this.lookup(`pluck:${sql}`, () => this.db.prepare(sql).pluck(true));
  }

  /** A statement returning rows as objects keyed by column name. */
  plain(sql: string): Database.Statement {
    return this.lookup(`plain:${sql}`, () => this.db.prepare(sql));
  }

  private lookup(key: string, prepare: () => Database.Statement): Database.Statement {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const statement = prepare();
    if (this.cache.size >= MAX_CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, statement);
    return statement;
  }
}
