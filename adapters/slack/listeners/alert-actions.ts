import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS, decodeAlertMute } from '../action-values.js';
import { renderReply } from '../render/reply.js';
import { askBot, responseBody, type SlackDeps, yieldAfterAck } from './context.js';

/** "Mute rule 1 h / 24 h" on an alert: `alerts mute` through the bot, so only admins can; answered privately. */
export function registerAlertActions(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: new RegExp(`^${ACTIONS.alertMute}`) },
    async ({ ack, body, action, client, respond }) => {
      await ack();
      await yieldAfterAck();
      const mute = decodeAlertMute(action.value);
      if (!mute) return;
      const user = {
        userId: body.user.id,
        userName: body.user.username ?? body.user.name,
        teamId: body.team?.id ?? body.user.team_id ?? '',
      };
      try {
        const reply = await askBot(deps, client, user, `alerts mute ${mute.r} ${mute.d}`);
        await respond({
          ...responseBody(reply, renderReply(reply)),
          response_type: 'ephemeral',
          replace_original: false,
        });
      } catch (error) {
        deps.logger.error('alert mute failed', { error });
      }
    },
  );
}
