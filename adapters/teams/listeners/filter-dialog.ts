import type { Application } from '@microsoft/teams-ai';
import { CardFactory, type TaskModuleTaskInfo } from 'botbuilder';
import { queryFromFilterValues } from '../../../src/bot/filter-query.js';
import type { FilterFormReply, FilterValues, Reply } from '../../../src/replies/reply.js';
import type { TeamsDeps } from '../deliver.js';
import { askBot, deliverReply } from '../deliver.js';
import { filterValuesFromSubmit, renderFilterForm } from '../render/filter-form.js';
import { teamsRequest } from '../request.js';
import { VERBS } from '../verbs.js';

const FIELD_LABELS: Record<keyof FilterValues, string> = {
  app: 'Application',
  region: 'Region',
  when: 'When',
  since: 'From',
  until: 'Until',
  who: 'Who',
  ops: 'Operations',
  entities: 'Impacted entity',
  text: 'Search text',
};

function queryOf(data: Record<string, unknown>): string {
  return typeof data.query === 'string' ? data.query.slice(0, 2000) : '';
}

function dialog(form: FilterFormReply, query: string): TaskModuleTaskInfo {
  return {
    title: 'Filter audit events',
    width: 'medium',
    height: 'large',
    card: CardFactory.adaptiveCard(renderFilterForm(form, query)),
  };
}

/** What the dialog says instead of a form: the bot's refusal or error, as plain text. */
function dialogMessage(reply: Reply): string {
  if (reply.kind === 'notice') return [reply.text, reply.hint].filter(Boolean).join(' ');
  return 'Something went wrong opening the filters.';
}

/** The filter dialog (task module): opened by `audit filter` / Refine, submitted with Search. */
export function registerFilterDialog(app: Application, deps: TeamsDeps): void {
  app.taskModules.fetch(VERBS.filter, async (context, _state, data) => {
    const query = queryOf(data);
    const reply = await askBot(deps, teamsRequest(context.activity), `filter ${query}`);
    return reply.kind === 'filter-form' ? dialog(reply, query) : dialogMessage(reply);
  });

  app.taskModules.submit(VERBS.filterSubmit, async (context, _state, data) => {
    const request = teamsRequest(context.activity);
    const query = queryOf(data);
    // Asking for the form again re-checks the sender and supplies the choices for a re-shown form.
    const form = await askBot(deps, request, `filter ${query}`);
    if (form.kind !== 'filter-form') return dialogMessage(form);
    const values = filterValuesFromSubmit(data);
    const result = queryFromFilterValues(values);
    if (!result.ok) {
      const error = Object.entries(result.errors)
        .map(([field, message]) => `${FIELD_LABELS[field as keyof FilterValues]}: ${message}`)
        .join(' ');
      return dialog({ ...form, values, error }, query);
    }
    const reply = await askBot(deps, request, `search ${result.text}`);
    await deliverReply(context, deps, request, reply, { query: result.text });
    return null;
  });
}
