import type { App, RespondFn, webApi } from '@slack/bolt';
import { routeText } from '../../../src/bot/router.js';
import { renderReportSummary } from '../render/info.js';
import { renderReply } from '../render/reply.js';
import { escapeCut, section } from '../render/text.js';
import { createReportUploader } from '../report-uploader.js';
import { askBot, responseBody, type SlackDeps, type SlackUser, splitPublicFlag, yieldAfterAck } from './context.js';
import { openFilterModal } from './filter-modal.js';

const INVITE_HINT =
  ':warning: I can’t post files in this channel because I’m not a member. Invite me with `/invite @auditbot` (or open the channel’s details → Integrations → Add apps) and run the report again.';

async function runReport(
  deps: SlackDeps,
  args: { client: webApi.WebClient; respond: RespondFn; user: SlackUser; channelId: string; query: string },
) {
  await args.respond({
    response_type: 'ephemeral',
    text: `:hourglass_flowing_sand: Preparing report for \`${escapeCut(args.query || '(everything)', 500)}\`…`,
  });
  const reply = await askBot(deps, args.client, args.user, `report ${args.query}`.trim());
  if (reply.kind !== 'file' || reply.parts.length === 0 || reply.totalRows === 0) {
    // Replaces "Preparing report…", refusals included, so nothing is left behind.
    await args.respond({ ...responseBody(reply, renderReply(reply)), replace_original: true });
    return;
  }
  const outcome = await createReportUploader(args.client)(reply, args.channelId);
  if (outcome.ok) {
    await args.respond(responseBody(reply, renderReportSummary(reply), { replace: true }));
    return;
  }
  deps.logger.warn('report upload failed', {
    reason: outcome.reason,
    uploaded: outcome.uploaded,
    error: outcome.error,
  });
  const text =
    outcome.reason === 'not_in_channel'
      ? INVITE_HINT
      : `:no_entry: The report was written but uploading it to Slack failed after ${outcome.uploaded} of ${reply.parts.length} files. Try again in a moment.`;
  await args.respond({ response_type: 'ephemeral', replace_original: true, text, blocks: [section(text)] });
}

/**
 * `/audit …`: ack at once, then answer through the response_url — ephemeral unless `--public`.
 * No text, `filter` → the modal; `report` → CSV uploads; everything else → the bot's Reply.
 */
export function registerAuditCommand(app: App, deps: SlackDeps): void {
  app.command(/^\/audit/, async ({ ack, command, respond, client }) => {
    await ack();
    await yieldAfterAck();
    const { text, public: isPublic } = splitPublicFlag(command.text);
    const user: SlackUser = { userId: command.user_id, userName: command.user_name, teamId: command.team_id };
    const { command: sub, args } = routeText(text);
    try {
      if (text === '' || sub === 'filter') {
        await openFilterModal(deps, {
          client,
          triggerId: command.trigger_id,
          user,
          query: sub === 'filter' ? args : '',
          metadata: { channel: command.channel_id, responseUrl: command.response_url, public: isPublic },
          sayEphemeral: async (reply) => {
            await respond(responseBody(reply, renderReply(reply)));
          },
        });
        return;
      }
      if (sub === 'report') {
        await runReport(deps, { client, respond, user, channelId: command.channel_id, query: args });
        return;
      }
      const reply = await askBot(deps, client, user, text);
      await respond(responseBody(reply, renderReply(reply), { public: isPublic }));
    } catch (error) {
      deps.logger.error('slash command failed', { error, command: sub });
      await respond({
        response_type: 'ephemeral',
        text: ':no_entry: Something went wrong answering that; the operator can find it in the log.',
      });
    }
  });
}
