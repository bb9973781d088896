import type { EventListReply, FileReply, Reply } from '../../../src/replies/reply.js';
import { renderAlertRules } from './alert-rules.js';
import type { AdaptiveCard } from './card.js';
import { renderEventDetail } from './event-detail.js';
import { renderFilterLauncher } from './filter-form.js';
import { renderHelp, renderNotice, renderSummary } from './messages.js';

/** Replies that render from themselves alone; lists and files need the adapter's extra work. */
export type SimpleReply = Exclude<Reply, EventListReply | FileReply>;

export function renderSimpleReply(reply: SimpleReply, query: string): AdaptiveCard {
  switch (reply.kind) {
    case 'event-detail':
      return renderEventDetail(reply);
    case 'notice':
      return renderNotice(reply);
    case 'summary':
      return renderSummary(reply);
    case 'help':
      return renderHelp(reply);
    case 'alert-rules':
      return renderAlertRules(reply);
    case 'filter-form':
      return renderFilterLauncher(query);
  }
}
