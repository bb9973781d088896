import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 200, write: (text: string) => writes.push(text) } };
}

const counts = (rows: number) => ({ rows, accepted: rows - 2, duplicate: 1, rejected: 1 });

afterEach(() => {
  vi.useRealTimers();
});

describe('createProgress', () => {
  it('draws nothing when the stream is not a terminal', () => {
    const { writes, stream } = fakeStream(false);
    const progress = createProgress({ stream, total: 100, label: 'Importing' });
    progress.update(50, counts(10));
    progress.done();
    expect(writes).toEqual([]);
  });

  it('draws a bar with the percentage and the tally, then ends the line', () => {
    const { writes, stream } = fakeStream(true);
    const progress = createProgress({ stream, total: 200, label: 'Importing' });
    progress.update(100, counts(1500));
    progress.done();
    expect(writes[0]).toMatch(/^\rImporting \[#{12}\.{12}\] 50% 1,500 rows: 1,498 new, 1 already stored, 1 rejected/);
    expect(writes.at(-1)).toBe('\n');
  });

  it('redraws at most about ten times a second', () => {
    vi.useFakeTimers();
    const { writes, stream } = fakeStream(true);
    const progress = createProgress({ stream, total: 1000, label: 'Importing' });
    for (let i = 1; i <= 100; i++) progress.update(i, counts(i));
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(150);
    progress.update(500, counts(500));
    expect(writes).toHaveLength(2);
    expect(writes[1]).toContain('50%');
  });
});
