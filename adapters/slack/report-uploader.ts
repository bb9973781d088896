import { basename } from 'node:path';
import type { webApi } from '@slack/bolt';
import type { FileReply } from '../../src/replies/reply.js';
import { reportPartComment } from './render/info.js';

export type UploadOutcome =
  | { ok: true; uploaded: number }
  | { ok: false; uploaded: number; reason: 'not_in_channel' | 'failed'; error: unknown };

/** Slack error codes that mean "the bot cannot post here", whatever the message wording. */
const NOT_IN_CHANNEL = new Set(['not_in_channel', 'channel_not_found']);

function slackErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('data' in error)) return null;
  const data = (error as { data: unknown }).data;
  if (typeof data !== 'object' || data === null || !('error' in data)) return null;
  const code = (data as { error: unknown }).error;
  return typeof code === 'string' ? code : null;
}

/**
 * Uploads each CSV part of a report into the channel with files.uploadV2 (getUploadURLExternal →
 * upload → completeUploadExternal with channel_id), one comment per part.
 */
export function createReportUploader(client: webApi.WebClient) {
  return async function uploadReport(report: FileReply, channelId: string): Promise<UploadOutcome> {
    let uploaded = 0;
    for (const [index, part] of report.parts.entries()) {
      try {
        await client.filesUploadV2({
          channel_id: channelId,
          file: part.path,
          filename: part.name || basename(part.path),
          title:
            report.parts.length > 1 ? `${report.title} (part ${index + 1} of ${report.parts.length})` : report.title,
          initial_comment: reportPartComment(report, part, index),
        });
        uploaded += 1;
        if (part.proof) {
          // Beside it: the part's SHA-256, chain positions and signed checkpoint (`auditbot verify-report`).
          await client.filesUploadV2({
            channel_id: channelId,
            file: part.proof.path,
            filename: part.proof.name,
            title: `Proof of ${part.name || basename(part.path)} — check with auditbot verify-report`,
          });
        }
      } catch (error) {
        const code = slackErrorCode(error);
        return {
          ok: false,
          uploaded,
          reason: code !== null && NOT_IN_CHANNEL.has(code) ? 'not_in_channel' : 'failed',
          error,
        };
      }
    }
    return { ok: true, uploaded };
  };
}
