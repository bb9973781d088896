import { createPublicKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReportProof } from '../../../src/reports/report-proof.js';
import { NOW, platformEvent, userEvent } from '../../helpers/auditbot.js';
import { allText, checkMessage, checkModal } from './block-kit-limits.js';
import { buttons, clickPayload, type SlackHarness, startSlackHarness, until } from './harness.js';

let h: SlackHarness;
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();
type Json = Record<string, unknown>;

beforeAll(async () => {
  h = await startSlackHarness();
  await h.auditbot.store.append([
    userEvent('u-alice', 'Alice Martin'),
    platformEvent({
      id: 'del-a',
      eventType: 'delete',
      displayName: 'Sales',
      entityKey: 'rg-a',
      auditTimestamp: iso(3_600_000),
    }),
    platformEvent({
      id: 'del-b',
      eventType: 'delete',
      displayName: 'Support',
      entityKey: 'rg-b',
      auditTimestamp: iso(2 * 3_600_000),
    }),
    platformEvent({ id: 'upd-c', displayName: 'Billing', entityKey: 'rg-c', auditTimestamp: iso(3 * 3_600_000) }),
  ]);
});
afterAll(() => h.close());

/** The view_submission payload Slack sends for the filter modal with the given input state. */
function submission(view: Json, values: Record<string, Json>, user = 'UADMIN'): Json {
  return {
    type: 'view_submission',
    team: { id: 'T1', domain: 'acme' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    trigger_id: 'trigger-submit',
    view: {
      ...view,
      id: 'V1',
      hash: 'hash-1',
      state: { values: Object.fromEntries(Object.entries(values).map(([block, state]) => [block, { value: state }])) },
    },
  };
}

describe('filter modal', () => {
  it('/audit alone opens the modal with the trigger_id', async () => {
    await h.command('', { responseName: 'empty' });
    const call = await until(() =>
      h.slack.callsTo('views.open').find((c) => c.args.trigger_id === 'trigger-1' || c.args.view),
    );
    expect(typeof call.args.trigger_id).toBe('string');
    expect(checkModal(call.args.view)).toEqual([]);
  });

  it('prefills from /audit filter <query>, validates on the offending block and posts results', async () => {
    const before = h.slack.callsTo('views.open').length;
    await h.command('filter op:delete who:u-alice', { responseName: 'filter' });
    const call = await until(() => h.slack.callsTo('views.open')[before]);
    const view = call.args.view as Json;
    expect(checkModal(view)).toEqual([]);
    const blocks = view.blocks as Json[];
    const ops = blocks.find((b) => b.block_id === 'ops')?.element as Json;
    expect((ops.initial_options as Json[]).map((o) => o.value)).toEqual(['delete']);
    const who = blocks.find((b) => b.block_id === 'who')?.element as Json;
    expect((who.initial_options as Json[]).map((o) => o.value)).toEqual(['u-alice']);
    expect(JSON.parse(String(view.private_metadata))).toMatchObject({
      channel: 'C1',
      responseUrl: h.responses.url('filter'),
    });

    // A preset and a custom start together: refused on the When block.
    const bad = await h.action(
      submission(view, {
        when: { type: 'static_select', selected_option: { value: '7d' } },
        since: { type: 'datepicker', selected_date: '2026-11-01' },
      }),
    );
    expect(bad.status).toBe(200);
    const answer = (await bad.json()) as Json;
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors as Json)).toEqual(['when']);

    const good = await h.action(
      submission(view, { ops: { type: 'multi_static_select', selected_options: [{ value: 'delete' }] } }),
    );
    expect(good.status).toBe(200);
    const posted = await until(() => h.responses.to('filter')[0]);
    expect(checkMessage(posted)).toEqual([]);
    expect(posted.response_type).toBe('ephemeral');
    expect(allText(posted.blocks)).toContain('2 events match op:delete');
  });

  it('Refine on a list opens the modal prefilled with its query', async () => {
    await h.command('op:update', { responseName: 'refine-list' });
    const list = await until(() => h.responses.to('refine-list')[0]);
    const refine = buttons(list).find((b) => b.text.text === 'Refine');
    const before = h.slack.callsTo('views.open').length;
    await h.action(clickPayload(refine as { action_id: string }, { responseName: 'refine', responses: h.responses }));
    const call = await until(() => h.slack.callsTo('views.open')[before]);
    const ops = (call.args.view as { blocks: Json[] }).blocks.find((b) => b.block_id === 'ops')?.element as Json;
    expect((ops.initial_options as Json[]).map((o) => o.value)).toEqual(['update']);
  });

  it('refuses a non-admin without opening a modal', async () => {
    const before = h.slack.callsTo('views.open').length;
    await h.command('filter', { user: 'USTRANGER', responseName: 'filter-stranger' });
    const body = await until(() => h.responses.to('filter-stranger')[0]);
    expect(JSON.stringify(body)).toContain('only available to this tenant');
    expect(h.slack.callsTo('views.open').length).toBe(before);
  });
});

describe('/audit report', () => {
  it('prepares, uploads the CSV with files.uploadV2 into the channel and retries a 429', async () => {
    h.slack.failNext('files.getUploadURLExternal', { kind: 'rate-limited', retryAfter: 1 });
    const before = h.slack.callsTo('files.getUploadURLExternal').length;
    await h.command('report op:delete', { responseName: 'report', channel: 'C-REPORTS' });
    const complete = await until(() => h.slack.callsTo('files.completeUploadExternal')[0], 10_000);
    expect(h.responses.to('report')[0]?.text).toContain('Preparing report');
    // The 429 was answered once, then retried.
    expect(h.slack.callsTo('files.getUploadURLExternal').length).toBeGreaterThanOrEqual(before + 2);
    expect(complete.args.channel_id).toBe('C-REPORTS');
    expect(String(complete.args.initial_comment)).toMatch(/Query `op:delete` · 2 of 2 rows · .* UTC → .* UTC/);
    const done = await until(() => h.responses.to('report')[1]);
    // The CSV, then its proof beside it, which checks out offline against the CSV as written.
    const [csv, proof] = h.slack.uploads.slice(-2);
    expect(csv?.bytes.toString('utf8')).toContain('Sales,cust-1,2026-11-26T11:00:00.000Z,delete');
    const proofName = (await until(() => h.slack.callsTo('files.completeUploadExternal')[1])).args.files;
    expect(JSON.stringify(proofName)).toMatch(/Proof of audit-report-.*\.csv/);
    expect(proof?.bytes.toString('utf8')).toContain('"format": "auditbot-report-proof/1"');
    const directory = join(h.auditbot.config.reportDirectory, 'cust-1');
    const written = readdirSync(directory)
      .filter((name) => name.endsWith('.csv'))
      .sort()
      .at(-1) as string;
    const bytes = readFileSync(join(directory, written));
    const proofText = readFileSync(join(directory, `${written}.sha256.json`), 'utf8');
    const proofKey = createPublicKey(JSON.parse(proofText).publicKey);
    expect(verifyReportProof(bytes, proofText, proofKey)).toMatchObject({ ok: true });
    expect(verifyReportProof(Buffer.concat([bytes, Buffer.from(' ')]), proofText, proofKey).ok).toBe(false);
    expect(checkMessage(done)).toEqual([]);
    expect(done.replace_original).toBe(true);
  });

  it('says how to invite the bot when it is not in the channel', async () => {
    h.slack.failNext('files.completeUploadExternal', { kind: 'error', error: 'not_in_channel' });
    await h.command('report op:delete', { responseName: 'report-no-member' });
    const body = await until(() => h.responses.to('report-no-member')[1]);
    expect(String(body.text)).toContain('/invite @auditbot');
  });
});

describe('workspace admins (AUDITBOT_SLACK_WORKSPACE_ADMINS=true)', () => {
  it('lets a Slack workspace admin query, via users.info', async () => {
    const ws = await startSlackHarness({ slackEnv: { AUDITBOT_SLACK_WORKSPACE_ADMINS: 'true' } });
    try {
      ws.slack.workspaceAdmins.add('UWSADMIN');
      await ws.command('op:delete', { user: 'UWSADMIN', responseName: 'ws' });
      const body = await until(() => ws.responses.to('ws')[0]);
      expect(allText(body.blocks)).toContain('match op:delete');
      expect(ws.slack.callsTo('users.info').map((c) => c.args.user)).toEqual(['UWSADMIN']);
      await ws.command('op:delete', { user: 'UMEMBER', responseName: 'member' });
      expect(JSON.stringify(await until(() => ws.responses.to('member')[0]))).toContain('only available');
    } finally {
      await ws.close();
    }
  });
});
