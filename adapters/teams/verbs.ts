/** `data.verb` of every card action and dialog auditbot's cards carry (teams-ai routes on it). */
export const VERBS = {
  /** Next / Previous page of a results card: updates that card in place. */
  page: 'audit-page',
  /** Refine / Open filters: `task/fetch` for the filter dialog. */
  filter: 'audit-filter',
  /** The filter dialog's Search button: `task/submit`. */
  filterSubmit: 'audit-filter-submit',
  /** CSV report of a results card's query. */
  report: 'audit-report',
  /** An alert's Details button: `show <eventId>`. */
  alertDetails: 'audit-alert-details',
  /** An alert's Mute rule 1 h / 24 h: `alerts mute <ruleId> <duration>` (admins only). */
  alertMute: 'audit-alert-mute',
} as const;

/** What a results card's paging buttons carry between requests. */
export type PageActionData = {
  verb: typeof VERBS.page;
  query: string;
  cursor: string | null;
  previousCursors: (string | null)[];
};
