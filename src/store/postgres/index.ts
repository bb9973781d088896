export { APPEND_SQL, toInsertParams } from './append-rows.js';
export { buildCountSql, buildSearchSql } from './filter-sql.js';
export { appliedVersions, applyMigrations, EXCLUSIVE_LOCK, MIGRATIONS, type Migration } from './migrations.js';
export { type MigrationReport, migratePostgres, openPostgresStore } from './open.js';
export { type MonthPartition, monthStart, Partitions, partitionFor } from './partitions.js';
export { createPool, type PostgresStoreOptions, parseDatabaseUrl } from './pool.js';
export { PostgresEventStore } from './postgres-store.js';
export { searchVector, searchWords, tsqueryExpression } from './search-text.js';
