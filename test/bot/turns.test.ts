import { describe, expect, it } from 'vitest';
import { createTurns } from '../../src/bot/turns.js';

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
