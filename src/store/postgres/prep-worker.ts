/**
 * The worker side of chunk-preparer.ts: prepares each call's chunks (validation, fingerprints, search
 * words, the JSON rows) off the main thread and posts them back one by one as they are ready.
 */
import { parentPort } from 'node:worker_threads';
import type { AuditEvent } from '../../domain/audit-event.js';
import { addRows, BatchDedupe, chunksOf } from './append-rows.js';
import { chunkRanges } from './chunk-prep.js';

export interface PrepRequest {
  call: number;
  events: AuditEvent[];
  storedAt: number;
}

export type PrepReply =
  | { call: number; chunk: { sent: number; json: string; indexes: number[]; canonicals: string[] } }
  | { call: number; done: true }
  | { call: number; error: string };

function prepare({ call, events, storedAt }: PrepRequest): void {
  const port = parentPort;
  if (!port) return;
  const dedupe = new BatchDedupe();
  try {
    for (const [start, end] of chunkRanges(events.length)) {
      const rows: unknown[][] = [];
      addRows(rows, events.slice(start, end), start, dedupe);
      for (const chunk of chunksOf(rows, storedAt)) {
        port.postMessage({
          call,
          chunk: { sent: chunk.sent, json: chunk.values[0], indexes: chunk.indexes, canonicals: chunk.canonicals },
        } satisfies PrepReply);
      }
    }
    port.postMessage({ call, done: true } satisfies PrepReply);
  } catch (error) {
    port.postMessage({ call, error: error instanceof Error ? error.message : String(error) } satisfies PrepReply);
  }
}

parentPort?.on('message', prepare);
