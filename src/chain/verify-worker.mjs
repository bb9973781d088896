// Starts verify-worker.ts in a worker thread: the TypeScript loader is registered per thread.
import { register } from 'tsx/esm/api';

register();
await import('./verify-worker.ts');
