import { main } from './cli.js';

// `auditbot query --json | head -1`: the reader has what it wanted; stop quietly, successfully.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
