import type { App, BlockAction, ButtonAction, RespondFn, webApi } from '@slack/bolt';
import {
  ACTIONS,
  decodeEventState,
  decodeListState,
  decodeRefineState,
  type ListState,
  pageRequest,
} from '../action-values.js';
import { renderReply } from '../render/reply.js';
import { askBot, responseBody, type SlackDeps, type SlackUser, yieldAfterAck } from './context.js';
import { openFilterModal } from './filter-modal.js';

interface ActionRequest {
  deps: SlackDeps;
  client: webApi.WebClient;
  respond: RespondFn;
  user: SlackUser;
  /** Ephemeral messages are the admin's own and are replaced in place; shared ones are left alone. */
  ownMessage: boolean;
}

function userOf(body: BlockAction): SlackUser {
  return {
    userId: body.user.id,
    userName: body.user.username ?? body.user.name,
    teamId: body.team?.id ?? body.user.team_id ?? '',
  };
}

const STALE = ':warning: That button is from an older version of auditbot; run the command again.';

async function showList(req: ActionRequest, state: ListState): Promise<void> {
  // The query travels as data: a search for `report` is not the report command on page 2.
  const reply = await askBot(req.deps, req.client, req.user, state.q, pageRequest(state), 'search');
  await req.respond(responseBody(reply, renderReply(reply), { replace: req.ownMessage }));
}

async function showEvent(req: ActionRequest, value: string | undefined, expanded: boolean): Promise<void> {
  const state = decodeEventState(value);
  if (!state) return void (await req.respond({ response_type: 'ephemeral', replace_original: false, text: STALE }));
  const reply = await askBot(req.deps, req.client, req.user, state.id, undefined, 'show');
  const back = state.b ?? null;
  // Without a way back to the list, replacing it would lose it: answer below instead.
  const replace = req.ownMessage && back !== null;
  await req.respond(responseBody(reply, renderReply(reply, { back, expanded }), { replace }));
}

/** Every button auditbot renders; each click goes through the bot again, so a non-admin is refused. */
export function registerBlockActions(app: App, deps: SlackDeps): void {
  const handle =
    (run: (req: ActionRequest, action: ButtonAction, body: BlockAction) => Promise<void>) =>
    async ({
      ack,
      body,
      action,
      client,
      respond,
    }: {
      ack: () => Promise<void>;
      body: BlockAction;
      action: ButtonAction;
      client: webApi.WebClient;
      respond: RespondFn;
    }) => {
      await ack();
      await yieldAfterAck();
      const ownMessage = body.container?.is_ephemeral === true;
      const req: ActionRequest = { deps, client, respond, user: userOf(body), ownMessage };
      try {
        await run(req, action, body);
      } catch (error) {
        deps.logger.error('block action failed', { error, actionId: action.action_id });
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: ':no_entry: Something went wrong; the operator can find it in the log.',
        });
      }
    };

  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: new RegExp(`^(${ACTIONS.page}|${ACTIONS.backToList})`) },
    handle(async (req, action) => {
      const state = decodeListState(action.value);
      if (!state) return void (await req.respond({ response_type: 'ephemeral', replace_original: false, text: STALE }));
      await showList(req, state);
    }),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.details,
    handle((req, action) => showEvent(req, action.value, false)),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.showChanges,
    handle((req, action) => showEvent(req, action.value, true)),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.hideChanges,
    handle((req, action) => showEvent(req, action.value, false)),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.share,
    handle(async (req, action) => {
      const state = decodeListState(action.value);
      if (!state) return void (await req.respond({ response_type: 'ephemeral', replace_original: false, text: STALE }));
      const reply = await askBot(req.deps, req.client, req.user, state.q, pageRequest(state), 'search');
      await req.respond({ ...responseBody(reply, renderReply(reply), { public: true }), replace_original: false });
    }),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.refine,
    handle(async (req, action, body) => {
      const state = decodeRefineState(action.value);
      await openFilterModal(deps, {
        client: req.client,
        triggerId: body.trigger_id,
        user: req.user,
        query: state?.q ?? '',
        metadata: { channel: body.channel?.id ?? null, responseUrl: body.response_url, public: !req.ownMessage },
        sayEphemeral: async (reply) => {
          await req.respond(responseBody(reply, renderReply(reply)));
        },
      });
    }),
  );
  // A link button still sends an action; acknowledging it is all there is to do.
  app.action(ACTIONS.editLink, async ({ ack }) => {
    await ack();
    await yieldAfterAck();
  });
}
