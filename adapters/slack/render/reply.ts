import type { Reply } from '../../../src/replies/reply.js';
import type { ListState } from '../action-values.js';
import { renderAlertRules } from './alert-rules.js';
import { renderEventDetail } from './event-detail.js';
import { renderEventList } from './event-list.js';
import { renderHelp, renderNotice, renderReportSummary, renderSummary } from './info.js';
import type { SlackMessage } from './text.js';

export interface RenderOptions {
  /** The list an event detail was opened from (for "Back to results"). */
  back?: ListState | null;
  /** Force a detail collapsed (Details) or expanded (Show changes). */
  expanded?: boolean;
}

/** Any Reply as a Slack message. A filter form is a modal, not a message: say how to open it. */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage {
  switch (reply.kind) {
    case 'event-list':
      return renderEventList(reply);
    case 'event-detail':
      return renderEventDetail(options.expanded === undefined ? reply : { ...reply, expanded: options.expanded }, {
        back: options.back ?? null,
      });
    case 'notice':
      return renderNotice(reply);
    case 'summary':
      return renderSummary(reply);
    case 'help':
      return renderHelp(reply);
    case 'file':
      return renderReportSummary(reply);
    case 'alert-rules':
      return renderAlertRules(reply);
    case 'filter-form':
      return renderNotice({ kind: 'notice', level: 'info', text: 'The filter form opens from `/audit filter`.' });
  }
}
