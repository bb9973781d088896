import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FileConsentCardResponse, TurnContext } from 'botbuilder';
import type { Auditbot } from '../../src/app.js';
import type { Logger } from '../../src/logger.js';
import type { FileReply } from '../../src/replies/reply.js';
import { renderNotice } from './render/messages.js';
import { fileConsentAttachment, fileInfoAttachment, partLabel, renderReportIntro } from './render/report.js';
import type { TeamsRequest } from './request.js';
import { cardMessage, sendActivity } from './send.js';

/** A CSV part waiting for the user's consent in personal chat. */
interface PendingUpload {
  teamsTenantId: string;
  principalId: string;
  path: string;
  name: string;
  expiresAt: number;
}

const stateKey = (token: string) => `teams:pending-upload:${token}`;
/** Consent cards stay in the chat; an answer a day later finds the offer withdrawn. */
const OFFER_HOURS = 24;
/** OneDrive upload sessions take chunks in multiples of 320 KiB. */
const CHUNK_BYTES = 320 * 1024 * 20;

export interface FileUploads {
  offer(context: TurnContext, request: TeamsRequest, reply: FileReply): Promise<void>;
  accept(context: TurnContext, request: TeamsRequest, response: FileConsentCardResponse): Promise<void>;
  decline(context: TurnContext, request: TeamsRequest, response: FileConsentCardResponse): Promise<void>;
}

function tokenOf(response: FileConsentCardResponse): string | null {
  const token = (response.context as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' && /^[A-Za-z0-9_-]{22}$/.test(token) ? token : null;
}

/** PUTs the bytes to the upload session Teams created, in Content-Range chunks. */
async function uploadBytes(fetchImpl: typeof fetch, url: string, bytes: Buffer): Promise<void> {
  for (let start = 0; start < bytes.length || start === 0; start += CHUNK_BYTES) {
    const chunk = bytes.subarray(start, Math.min(start + CHUNK_BYTES, bytes.length));
    const end = start + chunk.length - 1;
    const response = await fetchImpl(url, {
      method: 'PUT',
      // fetch sets Content-Length from the body itself (a hand-set one is refused by some undici versions).
      headers: { 'Content-Range': `bytes ${start}-${end}/${bytes.length}` },
      body: chunk,
    });
    if (!response.ok) throw new Error(`upload answered ${response.status}`);
    await response.arrayBuffer();
    if (bytes.length === 0) break;
  }
}

export function createFileUploads(options: { auditbot: Auditbot; logger: Logger; fetch?: typeof fetch }): FileUploads {
  const { auditbot, logger } = options;
  const fetchImpl = options.fetch ?? fetch;

  const claim = async (
    request: TeamsRequest,
    response: FileConsentCardResponse,
  ): Promise<(PendingUpload & { token: string }) | null> => {
    const token = tokenOf(response);
    const pending = token ? await auditbot.store.getState<PendingUpload>(stateKey(token)) : null;
    if (!token || !pending) return null;
    const workspace = request.workspace.platform === 'teams' ? request.workspace.tenantId : '';
    // Only the person the file was offered to, in the same tenant, may take it.
    if (pending.principalId !== request.principal.id || pending.teamsTenantId !== workspace) return null;
    await auditbot.store.deleteState(stateKey(token));
    return auditbot.clock() < pending.expiresAt ? { ...pending, token } : null;
  };

  return {
    async offer(context, request, reply) {
      await sendActivity(context, cardMessage(renderReportIntro(reply)));
      const teamsTenantId = request.workspace.platform === 'teams' ? request.workspace.tenantId : '';
      for (const [index, part] of reply.parts.entries()) {
        const token = randomBytes(16).toString('base64url');
        const pending: PendingUpload = {
          teamsTenantId,
          principalId: request.principal.id,
          path: part.path,
          name: part.name,
          expiresAt: auditbot.clock() + OFFER_HOURS * 3_600_000,
        };
        // The bytes go to the store with the offer: the consent may reach another instance.
        await auditbot.store.saveFile(stateKey(token), await readFile(part.path), pending.expiresAt, auditbot.clock());
        await auditbot.store.setState(stateKey(token), pending);
        const description = `Audit report (${partLabel(reply, index, part)}) for ${reply.query || 'all events'}`;
        await sendActivity(context, {
          type: 'message',
          attachments: [fileConsentAttachment(part, description, { token })],
        });
      }
    },
    async accept(context, request, response) {
      const pending = await claim(request, response);
      if (!pending) {
        await sendActivity(context, cardMessage(renderNotice(WITHDRAWN)));
        return;
      }
      const upload = response.uploadInfo;
      try {
        if (!upload?.uploadUrl || !upload.contentUrl || !upload.uniqueId)
          throw new Error('consent without upload info');
        const bytes = await auditbot.store.readFile(stateKey(pending.token), auditbot.clock());
        if (!bytes) throw new Error('the offered file is no longer stored');
        await uploadBytes(fetchImpl, upload.uploadUrl, bytes);
      } catch (error) {
        logger.error('report upload failed', { error, file: pending.name });
        await sendActivity(context, cardMessage(renderNotice(UPLOAD_FAILED)));
        return;
      }
      await sendActivity(context, {
        type: 'message',
        attachments: [
          fileInfoAttachment({
            name: upload.name ?? pending.name,
            contentUrl: upload.contentUrl,
            uniqueId: upload.uniqueId,
            fileType: upload.fileType ?? 'csv',
          }),
        ],
      });
    },
    async decline(context, request, response) {
      const token = tokenOf(response);
      if (token) {
        const pending = await auditbot.store.getState<PendingUpload>(stateKey(token));
        if (pending?.principalId === request.principal.id) await auditbot.store.deleteState(stateKey(token));
      }
      await sendActivity(context, cardMessage(renderNotice(DECLINED)));
    },
  };
}

const DECLINED = {
  kind: 'notice',
  level: 'info',
  text: 'No problem — the report was not uploaded.',
  hint: 'Send `audit report <query>` again whenever you want it.',
} as const;

const WITHDRAWN = {
  kind: 'notice',
  level: 'warn',
  text: 'That upload offer is no longer available.',
  hint: 'Send `audit report <query>` again for a fresh file.',
} as const;

const UPLOAD_FAILED = {
  kind: 'notice',
  level: 'error',
  text: 'The report could not be uploaded to your OneDrive.',
  hint: 'Try `audit report <query>` again; if it keeps failing, tell your auditbot operator.',
} as const;
