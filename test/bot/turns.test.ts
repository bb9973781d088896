import { describe, expect, it } from 'vitest';
import { createTurns, MAX_YIELD_PASSES } from '../../src/bot/turns.js';

describe('createTurns', () => {
  it('runs work one at a time, in arrival order', async () => {
    const turns = createTurns();
    const log: string[] = [];
    const job = (name: string) =>
      turns.run(async () => {
        log.push(`${name} start`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`${name} end`);
        return name;
      });
    expect(await Promise.all([job('a'), job('b'), job('c')])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('lets pending I/O callbacks run between turns', async () => {
    const turns = createTurns();
    const log: string[] = [];
    const first = turns.run(async () => {
      setImmediate(() => log.push('io'));
      log.push('first');
    });
    const second = turns.run(async () => {
      log.push('second');
    });
    await Promise.all([first, second]);
    expect(log).toEqual(['first', 'io', 'second']);
  });

  it('lets a burst of arrivals in before the next command, one per pass as libuv accepts them', async () => {
    let arrivals = 0;
    const turns = createTurns({ arrivals: () => arrivals });
    // Five requests come in, one per pass through the event loop.
    const arrive = (left: number) =>
      setImmediate(() => {
        arrivals += 1;
        if (left > 1) arrive(left - 1);
      });
    arrive(5);
    expect(await turns.run(async () => arrivals)).toBe(5);
  });

  it('does not let a steady stream of arrivals starve the commands', async () => {
    let arrivals = 0;
    let streaming = true;
    const stream = () =>
      setImmediate(() => {
        arrivals += 1;
        if (streaming) stream();
      });
    stream();
    const turns = createTurns({ arrivals: () => arrivals });
    const seen = await turns.run(async () => arrivals);
    streaming = false;
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThanOrEqual(MAX_YIELD_PASSES + 1);
  });

  it('keeps going after a failed turn, and reports the failure to its caller', async () => {
    const turns = createTurns();
    const failed = turns.run(async () => {
      throw new Error('boom');
    });
    const next = turns.run(async () => 'still running');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('still running');
  });
});
