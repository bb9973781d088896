import type { AuditEvent } from '../domain/audit-event.js';
import { type ChangeSet, computeChanges, needsPreviousState } from '../domain/changes.js';
import type { EventStore } from '../store/event-store.js';

/** An event's changes; final-state-only events are compared with the entity's previous stored state. */
export async function eventChanges(store: EventStore, event: AuditEvent): Promise<ChangeSet> {
  const previous = needsPreviousState(event)
    ? await store.previousState(
        {
          customerId: event.customerId,
          service: event.service,
          entityType: event.entityType,
          entityKey: event.entityKey,
        },
        event,
      )
    : null;
  return computeChanges(event, previous);
}
