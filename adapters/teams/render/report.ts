import type { FileReply, ReportPart } from '../../../src/replies/reply.js';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardElement,
  formatCount,
  localTime,
  richText,
  textBlock,
} from './card.js';

export const FILE_CONSENT_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.info';

function reportHeader(reply: FileReply): CardElement[] {
  return [
    textBlock(reply.title, { size: 'Medium', weight: 'Bolder' }),
    richText(
      [
        { text: 'Query ', subtle: true },
        { text: reply.query || '(everything)', monospace: true },
      ],
      { spacing: 'None' },
    ),
    textBlock(`Window ${localTime(reply.window.start)} → ${localTime(reply.window.end)}`, {
      isSubtle: true,
      size: 'Small',
      spacing: 'Small',
    }),
  ];
}

export function partLabel(reply: FileReply, index: number, part: ReportPart): string {
  const prefix = reply.parts.length > 1 ? `Part ${index + 1} of ${reply.parts.length}: ` : '';
  return `${prefix}${formatCount(part.rows)} rows, ${formatBytes(part.bytes)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The FileConsentCard attachment (personal chat): Teams asks the user, then invokes `fileConsent/invoke`. */
export function fileConsentAttachment(part: ReportPart, description: string, context: Record<string, unknown>) {
  return {
    contentType: FILE_CONSENT_CONTENT_TYPE,
    name: part.name,
    content: { description, sizeInBytes: part.bytes, acceptContext: context, declineContext: context },
  };
}

/** After the upload: the card Teams shows as the file itself, opening it from OneDrive. */
export function fileInfoAttachment(upload: { name: string; contentUrl: string; uniqueId: string; fileType: string }) {
  return {
    contentType: FILE_INFO_CONTENT_TYPE,
    contentUrl: upload.contentUrl,
    name: upload.name,
    content: { uniqueId: upload.uniqueId, fileType: upload.fileType },
  };
}

/** Introduces the consent cards that follow (personal chat). */
export function renderReportIntro(reply: FileReply): AdaptiveCard {
  const body = reportHeader(reply);
  body.push(
    textBlock(
      reply.parts.length === 0
        ? 'No events match, so there is no file.'
        : `Allow the upload below to get the CSV in your OneDrive${reply.parts.length > 1 ? ` (${reply.parts.length} files of at most 50,000 rows)` : ''}.`,
      { spacing: 'Medium' },
    ),
  );
  return adaptiveCard(body);
}

/** Channels and group chats: bots cannot upload there, so each part is a short-lived download link. */
export function renderReportLinks(
  reply: FileReply,
  links: { part: ReportPart; url: string; proofUrl?: string }[],
  minutes: number,
): AdaptiveCard {
  const body = reportHeader(reply);
  if (links.length === 0) body.push(textBlock('No events match, so there is no file.', { spacing: 'Medium' }));
  else {
    body.push(
      textBlock(
        `Download link${links.length > 1 ? 's expire' : ' expires'} in ${minutes} minutes; each download is recorded in the audit log.`,
        {
          isSubtle: true,
          size: 'Small',
          spacing: 'Medium',
        },
      ),
    );
  }
  const actions = links.flatMap(({ part, url, proofUrl }, i) => [
    { type: 'Action.OpenUrl', title: `Download ${partLabel(reply, i, part)}`, url },
    ...(proofUrl
      ? [{ type: 'Action.OpenUrl', title: `Proof of ${partLabel(reply, i, part)} (.sha256.json)`, url: proofUrl }]
      : []),
  ]);
  return adaptiveCard(body, actions);
}

export function renderUploadDone(name: string): AdaptiveCard {
  return adaptiveCard([
    richText([{ text: 'Uploaded ' }, { text: name, weight: 'Bolder' }, { text: ' to your OneDrive.' }]),
  ]);
}
