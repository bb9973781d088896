import { main } from './cli.js';

const argv = process.argv.slice(2);
/** Verbs whose output is a stream of results: a reader that stops early (`| head -1`) has what it wanted. */
const STREAMING_VERBS = new Set(['query', 'report', 'console']);

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  const readerGone = error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
  if (!readerGone) {
    process.stderr.write(`auditbot: cannot write to standard output (${error.code ?? error.message})\n`);
    process.exit(1);
  }
  if (STREAMING_VERBS.has(argv[0] ?? '')) process.exit(0);
  // import, sync, …: the work goes on and ends with its own exit code; only the summary is lost.
});

process.exitCode = await main(argv);
