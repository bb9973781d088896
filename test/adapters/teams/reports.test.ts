import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NOW, platformEvent, userEvent } from '../../helpers/auditbot.js';
import {
  adaptiveCardsOf,
  attachmentsOf,
  cardProblems,
  cardText,
  findElements,
  STRANGER,
  startTeamsHarness,
  type TeamsHarness,
} from './harness.js';

let h: TeamsHarness;

beforeAll(async () => {
  h = await startTeamsHarness({ now: NOW });
  await h.auditbot.store.append([
    userEvent('u-alice', 'Alice Martin'),
    ...Array.from({ length: 3 }, (_, i) =>
      platformEvent({
        id: `upd-${i}`,
        displayName: `Ring group ${i}`,
        auditTimestamp: new Date(NOW - (i + 1) * 60_000).toISOString(),
      }),
    ),
  ]);
});
afterAll(() => h.close());
beforeEach(() => {
  h.connector.reset();
  h.clock.now = NOW;
});

function sentAttachments() {
  const attachments = h.connector.activities().flatMap((c) => attachmentsOf(c.activity));
  for (const a of attachments)
    if (a.contentType === 'application/vnd.microsoft.card.adaptive') expect(cardProblems(a.content)).toEqual([]);
  return attachments;
}

async function exportEvents(): Promise<string[]> {
  const reply = await h.auditbot.bot.handle({
    principal: { platform: 'console', id: 'ops' },
    workspace: { platform: 'console' },
    text: 'app:auditbot op:export',
  });
  return reply.kind === 'event-list' ? reply.events.map((e) => e.entityName) : [];
}

function consentInvoke(action: 'accept' | 'decline', token: unknown, from?: Record<string, unknown>) {
  return h.activity('personal', {
    type: 'invoke',
    name: 'fileConsent/invoke',
    replyToId: 'bot-activity-2',
    value: {
      type: 'fileUpload',
      action,
      context: { token },
      uploadInfo: {
        name: 'audit-report.csv',
        uploadUrl: `${h.connector.url}/upload/audit-report.csv`,
        contentUrl: 'https://contoso-my.sharepoint.com/personal/ada/Documents/Apps/auditbot/audit-report.csv',
        uniqueId: 'onedrive-item-1',
        fileType: 'csv',
      },
    },
    ...(from ? { from } : {}),
  });
}

async function offerReport(): Promise<{ token: unknown; bytes: number; path: string }> {
  await h.post(h.activity('personal', { text: 'audit report op:update' }));
  const consent = sentAttachments().find((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent');
  expect(consent).toBeDefined();
  const content = consent?.content as { sizeInBytes: number; acceptContext: { token: unknown }; description: string };
  const dir = `${h.auditbot.config.reportDirectory}/cust-1`;
  return { token: content.acceptContext.token, bytes: content.sizeInBytes, path: `${dir}/${consent?.name}` };
}

describe('CSV in personal chat (FileConsentCard)', () => {
  it('offers the file with its size, uploads it on accept with Content-Range, then shows the file card', async () => {
    const { token, bytes, path } = await offerReport();
    expect(cardText(adaptiveCardsOf(h.connector.activities()[0]?.activity ?? null)[0])).toContain(
      'Audit report — 3 events',
    );
    const csv = readFileSync(path);
    expect(bytes).toBe(csv.length);
    h.connector.reset();

    const { status } = await h.post(consentInvoke('accept', token));
    expect(status).toBe(200);
    const upload = h.connector.calls.find((c) => c.kind === 'upload');
    expect(upload?.headers['content-range']).toBe(`bytes 0-${csv.length - 1}/${csv.length}`);
    expect(upload?.bytes.equals(csv)).toBe(true);
    const info = sentAttachments().find((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.info');
    expect(info).toMatchObject({ name: 'audit-report.csv', content: { uniqueId: 'onedrive-item-1', fileType: 'csv' } });

    // The offer is used up: a second accept uploads nothing.
    h.connector.reset();
    await h.post(consentInvoke('accept', token));
    expect(h.connector.calls.some((c) => c.kind === 'upload')).toBe(false);
    expect(cardText(adaptiveCardsOf(h.connector.activities()[0]?.activity ?? null)[0])).toContain(
      'no longer available',
    );
  });

  it('declining is answered politely and withdraws the offer', async () => {
    const { token } = await offerReport();
    h.connector.reset();
    const { status } = await h.post(consentInvoke('decline', token));
    expect(status).toBe(200);
    expect(cardText(adaptiveCardsOf(h.connector.activities()[0]?.activity ?? null)[0])).toContain(
      'No problem — the report was not uploaded.',
    );
    h.connector.reset();
    await h.post(consentInvoke('accept', token));
    expect(h.connector.calls.some((c) => c.kind === 'upload')).toBe(false);
  });

  it('uploads the offered bytes even where the report file is not on the local disk', async () => {
    const { token, path } = await offerReport();
    const csv = readFileSync(path);
    rmSync(path);
    h.connector.reset();
    await h.post(consentInvoke('accept', token));
    expect(h.connector.calls.find((c) => c.kind === 'upload')?.bytes.equals(csv)).toBe(true);
  });

  it('someone else cannot take the offered file', async () => {
    const { token } = await offerReport();
    h.connector.reset();
    await h.post(consentInvoke('accept', token, STRANGER));
    expect(h.connector.calls.some((c) => c.kind === 'upload')).toBe(false);
    // The offer is still there for the person it was made to.
    await h.post(consentInvoke('accept', token));
    expect(h.connector.calls.filter((c) => c.kind === 'upload')).toHaveLength(1);
  });
});

describe('CSV in channels and group chats (download link)', () => {
  async function linkFromChannel(scope: 'channel' | 'groupChat' = 'channel'): Promise<string> {
    await h.post(h.activity(scope, { text: 'audit report op:update' }));
    const card = adaptiveCardsOf(h.connector.activities().at(-1)?.activity ?? null)[0];
    expect(cardProblems(card ?? {})).toEqual([]);
    expect(cardText(card)).toContain('expires in 15 minutes');
    const url = findElements(card, (o) => o.type === 'Action.OpenUrl')[0]?.url;
    expect(typeof url).toBe('string');
    return url as string;
  }

  it('serves the CSV once per request and records the download as an export event', async () => {
    const url = await linkFromChannel();
    expect(url).toMatch(new RegExp(`^${h.baseUrl}/reports/[A-Za-z0-9_-]{43}$`));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const body = await response.text();
    expect(body.split('\n').filter(Boolean)).toHaveLength(4);
    const downloads = (await exportEvents()).filter((name) => name.startsWith('report download: audit-report-'));
    expect(downloads).toHaveLength(1);
  });

  it('the CSV report button on a group chat results card gives a link too', async () => {
    await h.post(h.activity('groupChat', { text: 'audit op:update' }));
    const results = adaptiveCardsOf(h.connector.activities().at(-1)?.activity ?? null)[0];
    const data = findElements(results, (o) => o.type === 'Action.Submit' && o.title === 'CSV report')[0]
      ?.data as Record<string, unknown>;
    await h.post(h.activity('groupChat', { text: undefined, value: data, replyToId: 'bot-activity-1' }));
    const card = adaptiveCardsOf(h.connector.activities().at(-1)?.activity ?? null)[0];
    // The CSV's link and its proof's (`.sha256.json`, checked by auditbot verify-report).
    const links = findElements(card, (o) => o.type === 'Action.OpenUrl');
    expect(links.map((o) => o.title)).toEqual([
      expect.stringMatching(/^Download /),
      expect.stringMatching(/^Proof of /),
    ]);
  });

  it('serves the CSV from the store, so any instance can answer the link', async () => {
    const url = await linkFromChannel();
    const token = url.split('/').at(-1) ?? '';
    const record = await h.auditbot.store.getState<{ path: string }>(`teams:report-link:${token}`);
    const csv = readFileSync(record?.path ?? '');
    rmSync(record?.path ?? '');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(csv)).toBe(true);
  });

  it('answers 410 after the link expires', async () => {
    const url = await linkFromChannel('groupChat');
    h.clock.now = NOW + 15 * 60_000;
    expect((await fetch(url)).status).toBe(410);
  });

  it('answers 404 for unknown and malformed tokens', async () => {
    expect((await fetch(`${h.baseUrl}/reports/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await fetch(`${h.baseUrl}/reports/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });

  it('refuses a link whose stored tenant is not the customer that Teams tenant is bound to', async () => {
    const url = await linkFromChannel();
    const token = url.split('/').at(-1) ?? '';
    const key = `teams:report-link:${token}`;
    const record = await h.auditbot.store.getState<Record<string, unknown>>(key);
    await h.auditbot.store.setState(key, { ...record, customerId: 'cust-2' });
    expect((await fetch(url)).status).toBe(404);
  });
});
