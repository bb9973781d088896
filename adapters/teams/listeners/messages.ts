import type { Application } from '@microsoft/teams-ai';
import type { TeamsDeps } from '../deliver.js';
import { runCommand } from '../deliver.js';
import { commandText, teamsRequest } from '../request.js';
import { alertsHere } from './alert-actions.js';

/** Typed commands in personal chat, group chats and channels. */
export function registerMessages(app: Application, deps: TeamsDeps): void {
  app.message(
    async (context) =>
      context.activity.type === 'message' &&
      typeof context.activity.text === 'string' &&
      context.activity.text.trim() !== '',
    async (context) => {
      const text = commandText(context.activity, teamsRequest(context.activity).scope);
      if (text === null) return;
      if (/^alerts\s+here$/i.test(text)) return alertsHere(context, deps);
      await runCommand(context, deps, text);
    },
  );
}
