import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Principal } from '../../src/access/principal.js';
import type { Bot } from '../../src/bot/router.js';
import type { EventListReply, Reply } from '../../src/replies/reply.js';
import { renderText } from './render.js';
import { COLOR, PLAIN } from './render-changes.js';

export interface ConsoleOptions {
  bot: Bot;
  input: Readable;
  output: Writable;
  principal: Principal;
  /** A prompt, colours and a greeting: a person at a terminal. Otherwise one reply per input line. */
  interactive: boolean;
  greeting?: string;
}

/** The last event list, so `next` / `prev` can page without retyping the query. */
interface ListState {
  text: string;
  reply: EventListReply;
}

function pageRequest(state: ListState, direction: 'next' | 'prev') {
  const { reply } = state;
  if (direction === 'next') {
    if (!reply.nextCursor) return null;
    return { cursor: reply.nextCursor, previousCursors: [...reply.previousCursors, reply.cursor] };
  }
  if (reply.previousCursors.length === 0) return null;
  const previousCursors = reply.previousCursors.slice(0, -1);
  return { cursor: reply.previousCursors[reply.previousCursors.length - 1] ?? null, previousCursors };
}

/** A chat-like console over the bot: the same commands and replies as Slack and Teams, as text. */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const { bot, output, principal, interactive } = options;
  const palette = interactive ? COLOR : PLAIN;
  const rl = createInterface({ input: options.input, output: interactive ? output : undefined, terminal: interactive });
  let list: ListState | null = null;
  const write = (text: string) => output.write(`${text}\n${interactive ? '' : '\n'}`);

  const answer = async (line: string): Promise<void> => {
    const text = line.trim();
    if (!text) return;
    let reply: Reply;
    const paging = text === 'next' || text === 'prev' ? text : null;
    if (paging) {
      const page = list ? pageRequest(list, paging) : null;
      if (!list || !page) {
        write(palette.dim(paging === 'next' ? 'No further page.' : 'Already on the first page.'));
        return;
      }
      reply = await bot.handle({ principal, workspace: { platform: 'console' }, text: list.text, page });
      if (reply.kind === 'event-list') list = { text: list.text, reply };
    } else {
      reply = await bot.handle({ principal, workspace: { platform: 'console' }, text });
      if (reply.kind === 'event-list') list = { text, reply };
    }
    write(renderText(reply, palette));
  };

  if (options.greeting) write(options.greeting);
  if (interactive) {
    rl.setPrompt('audit> ');
    rl.prompt();
  }
  for await (const line of rl) {
    if (/^(exit|quit)$/i.test(line.trim())) break;
    await answer(line);
    if (interactive) rl.prompt();
  }
  rl.close();
}
