import type { BreachKind, ChainVerdict } from './verify-chain.js';

const KIND_LABEL: Record<BreachKind, string> = {
  altered: 'altered event',
  deleted: 'deleted event',
  inserted: 'inserted event',
  reordered: 'reordered',
  checkpoint: 'checkpoint mismatch',
};

const n = (value: number) => value.toLocaleString('en-US');

function utcTime(iso: string): string {
  const date = new Date(iso);
  const today = new Date().toISOString().slice(0, 10);
  const day = iso.slice(0, 10);
  return `${day === today ? '' : `${day} `}${date.toISOString().slice(11, 16)} UTC`;
}

/** One line per tenant: "intact: 1,000,042 events, head 3f9a…, last checkpoint 12:00 UTC", or what broke where. */
export function verdictLine(verdict: ChainVerdict): string {
  if (!verdict.intact && verdict.breach) {
    const { breach } = verdict;
    const where = breach.position === null ? '' : ` at position ${n(breach.position)}`;
    const event = breach.eventId === null ? '' : ` (event ${breach.eventId})`;
    return `NOT intact${where}${event}: ${KIND_LABEL[breach.kind]} — ${breach.detail}`;
  }
  if (!verdict.head) return 'intact: no events chained yet';
  const pruned = verdict.pruned > 0 ? ` (${n(verdict.pruned)} removed by retention)` : '';
  const checkpoint = verdict.lastCheckpoint
    ? `last checkpoint ${utcTime(verdict.lastCheckpoint.time)} at position ${n(verdict.lastCheckpoint.lastPosition)}`
    : 'no checkpoint yet';
  return `intact: ${n(verdict.events)} events${pruned}, head ${verdict.head.hash.slice(0, 4)}…, ${checkpoint}`;
}

/** Where the chain starts, for the detail under a verdict. */
export function genesisLine(verdict: ChainVerdict): string | null {
  if (!verdict.genesis) return null;
  return `chain starts after position ${n(verdict.genesis.position)}: ${verdict.genesis.note}`;
}
