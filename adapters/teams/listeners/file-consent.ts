import type { Application } from '@microsoft/teams-ai';
import type { TeamsDeps } from '../deliver.js';
import { teamsRequest } from '../request.js';

/** Answers to the FileConsentCards auditbot posts with reports in personal chat. */
export function registerFileConsent(app: Application, deps: TeamsDeps): void {
  app.fileConsentAccept(async (context, _state, response) => {
    await deps.uploads.accept(context, teamsRequest(context.activity), response);
  });
  app.fileConsentDecline(async (context, _state, response) => {
    await deps.uploads.decline(context, teamsRequest(context.activity), response);
  });
}
