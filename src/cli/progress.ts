/** Counts shown beside the bar (an import's running tally). */
export interface ProgressCounts {
  rows: number;
  accepted: number;
  duplicate: number;
  rejected: number;
}

export interface Progress {
  update(bytes: number, counts: ProgressCounts): void;
  /** Draws the final state and ends the line. */
  done(): void;
}

interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 24;

function renderLine(label: string, bytes: number, total: number, counts: ProgressCounts, columns: number): string {
  const fraction = total > 0 ? Math.min(1, bytes / total) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const n = (value: number) => value.toLocaleString('en-US');
  const tally = `${n(counts.rows)} rows: ${n(counts.accepted)} new, ${n(counts.duplicate)} already stored, ${n(counts.rejected)} rejected`;
  return `${label} ${bar} ${Math.floor(fraction * 100)}% ${tally}`.slice(0, Math.max(20, columns - 1));
}

/**
 * A one-line progress bar on a terminal (stderr, so stdout stays clean for the summary). Does nothing
 * when the stream is not a TTY (CI logs, pipes); redraws at most ~10 times a second.
 */
export function createProgress(options: { stream: ProgressStream; total: number; label: string }): Progress {
  const { stream, total, label } = options;
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let lastDraw = 0;
  let latest: { bytes: number; counts: ProgressCounts } | null = null;
  const draw = () => {
    if (latest === null) return;
    // \r returns to the line start; ESC[K clears what a longer previous line left behind.
    stream.write(`\r${renderLine(label, latest.bytes, total, latest.counts, stream.columns ?? 80)}\u001b[K`);
  };
  return {
    update(bytes, counts) {
      latest = { bytes, counts };
      const now = Date.now();
      if (now - lastDraw < REDRAW_INTERVAL_MS) return;
      lastDraw = now;
      draw();
    },
    done() {
      draw();
      if (latest !== null) stream.write('\n');
    },
  };
}
