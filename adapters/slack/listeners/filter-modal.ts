import type { App, webApi } from '@slack/bolt';
import { queryFromFilterValues } from '../../../src/bot/filter-query.js';
import type { FilterValues, Reply } from '../../../src/replies/reply.js';
import {
  decodeModalMetadata,
  encodeModalMetadata,
  FILTER_MODAL_CALLBACK,
  type ModalMetadata,
} from '../action-values.js';
import { filterSubmission } from '../filter-submission.js';
import { renderFilterModal, renderLoadingModal, renderMessageModal } from '../render/filter-modal.js';
import { renderReply } from '../render/reply.js';
import { askBot, postToResponseUrl, responseBody, type SlackDeps, type SlackUser } from './context.js';

/** The form's choices usually come back in milliseconds; past this, open a placeholder first. */
const FAST_ANSWER_MS = 1000;

function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface OpenFilterModal {
  client: webApi.WebClient;
  triggerId: string;
  user: SlackUser;
  query: string;
  metadata: ModalMetadata;
  /** Where a refusal or a query error goes instead of a modal. */
  sayEphemeral(reply: Reply): Promise<void>;
}

/**
 * views.open within the trigger's 3 s: with the form when the bot answers fast, else with a
 * placeholder that views.update replaces. Non-admins get their refusal as an ephemeral message.
 */
export async function openFilterModal(deps: SlackDeps, request: OpenFilterModal): Promise<void> {
  const metadata = encodeModalMetadata(request.metadata);
  const answer = askBot(deps, request.client, request.user, `filter ${request.query}`.trim());
  const early = await within(answer, FAST_ANSWER_MS);
  const viewFor = (reply: Reply) =>
    reply.kind === 'filter-form'
      ? renderFilterModal(reply, { metadata, now: deps.clock(), public: request.metadata.public })
      : renderMessageModal(reply.kind === 'notice' ? reply.text : 'Nothing to filter.', metadata);
  if (early) {
    if (early.kind !== 'filter-form') return request.sayEphemeral(early);
    await request.client.views.open({ trigger_id: request.triggerId, view: viewFor(early) });
    return;
  }
  const opened = await request.client.views.open({ trigger_id: request.triggerId, view: renderLoadingModal(metadata) });
  const reply = await answer;
  if (reply.kind !== 'filter-form') await request.sayEphemeral(reply);
  const viewId = opened.view?.id;
  if (viewId)
    await request.client.views.update({
      view_id: viewId,
      ...(opened.view?.hash ? { hash: opened.view.hash } : {}),
      view: viewFor(reply),
    });
}

/** queryFromFilterValues errors → the modal's block ids (every field has its own input block). */
function blockErrors(errors: Partial<Record<keyof FilterValues, string>>, blocks: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    if (!message) continue;
    const block = blocks.has(field) ? field : 'text';
    out[block] = out[block] ? `${out[block]}; ${message}` : message;
  }
  return out;
}

/** Submission: validate into query text (errors shown on the offending block), then post the results. */
export function registerFilterModal(app: App, deps: SlackDeps): void {
  app.view(FILTER_MODAL_CALLBACK, async ({ ack, body, view, client }) => {
    const submission = filterSubmission(view.state.values);
    const result = queryFromFilterValues(submission.values);
    if (!result.ok) {
      const blocks = new Set(view.blocks.map((b) => b.block_id).filter((id): id is string => typeof id === 'string'));
      await ack({ response_action: 'errors', errors: blockErrors(result.errors, blocks) });
      return;
    }
    await ack();
    const meta = decodeModalMetadata(view.private_metadata) ?? { channel: null, responseUrl: null, public: false };
    const user: SlackUser = {
      userId: body.user.id,
      userName: body.user.name,
      teamId: body.team?.id ?? body.user.team_id ?? '',
    };
    // A filter form always asks for a search, whatever its first word.
    const reply = await askBot(deps, client, user, result.text, undefined, 'search');
    const message = renderReply(reply);
    const answer = responseBody(reply, message, { public: submission.public });
    if (meta.responseUrl) {
      await postToResponseUrl(meta.responseUrl, { ...answer, replace_original: false });
    } else if (meta.channel && answer.response_type === 'in_channel') {
      await client.chat.postMessage({ channel: meta.channel, text: message.text, blocks: message.blocks });
    } else if (meta.channel) {
      await client.chat.postEphemeral({
        channel: meta.channel,
        user: user.userId,
        text: message.text,
        blocks: message.blocks,
      });
    }
  });
}
