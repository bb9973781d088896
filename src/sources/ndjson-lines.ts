import type { Readable } from 'node:stream';

/** A line of an NDJSON stream with its 1-based number; `tooLong` when it was dropped for its size. */
export type NdjsonLine = { line: number; text: string } | { line: number; tooLong: number };

/**
 * Splits a byte stream into lines without holding more than one line (capped at `maxLineBytes`)
 * in memory: an over-long line is counted and dropped, never buffered whole. Invalid UTF-8 decodes
 * to U+FFFD, which the normaliser reports. Blank lines are skipped.
 */
export async function* ndjsonLines(
  input: Readable,
  options: { maxLineBytes: number; onBytes?: (bytes: number) => void },
): AsyncGenerator<NdjsonLine> {
  let pieces: Buffer[] = [];
  let size = 0;
  let line = 1;
  const finishLine = (): NdjsonLine | null => {
    const result: NdjsonLine | null =
      size > options.maxLineBytes ? { line, tooLong: size } : textLine(line, Buffer.concat(pieces));
    pieces = [];
    size = 0;
    line++;
    return result;
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    options.onBytes?.(chunk.length);
    let from = 0;
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, from)) {
      keep(chunk.subarray(from, at));
      const done = finishLine();
      if (done) yield done;
      from = at + 1;
    }
    keep(chunk.subarray(from));
  }
  if (size > 0) {
    const done = finishLine();
    if (done) yield done;
  }

  function keep(piece: Buffer): void {
    size += piece.length;
    if (size <= options.maxLineBytes) pieces.push(piece);
    else pieces = [];
  }
}

function textLine(line: number, bytes: Buffer): NdjsonLine | null {
  let text = bytes.toString('utf8');
  if (line === 1) text = text.replace(/^\uFEFF/, '');
  text = text.trim();
  return text === '' ? null : { line, text };
}
