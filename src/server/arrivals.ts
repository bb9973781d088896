import type { Server } from 'node:http';

/**
 * How many connections and requests this process's HTTP servers have taken in. libuv accepts one
 * new connection per pass of the event loop, so a burst of them (Slack opens one per slash command)
 * comes in one pass at a time; queued commands watch this count (see bot/turns.ts) and let the whole
 * burst in — and acknowledged — before one of them holds the loop again.
 */
let arrivals = 0;

export function arrivalCount(): number {
  return arrivals;
}

function noteArrival(): void {
  arrivals += 1;
}

/** Counts the server's connections and requests as arrivals. */
export function countArrivals(server: Server): void {
  server.on('connection', noteArrival);
  server.on('request', noteArrival);
}
