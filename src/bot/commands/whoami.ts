import { principalRef } from '../../access/principal.js';
import type { Reply } from '../../replies/reply.js';
import type { CommandContext } from '../context.js';

/** `whoami`: the caller's id as auditbot sees it, the tenant, and whether they are an admin. */
export function whoamiCommand(ctx: CommandContext, isAdmin: boolean): Reply {
  return {
    kind: 'summary',
    title: 'Who you are to auditbot',
    facts: [
      {
        label: 'You',
        value: ctx.principal.name
          ? `${ctx.principal.name} (${principalRef(ctx.principal)})`
          : principalRef(ctx.principal),
      },
      {
        label: 'Tenant',
        value: ctx.tenant.name ? `${ctx.tenant.name} (${ctx.tenant.customerId})` : ctx.tenant.customerId,
      },
      { label: 'Admin', value: isAdmin ? 'yes — you may query, show and export' : 'no' },
    ],
    footnote: isAdmin
      ? undefined
      : `Ask the auditbot operator to add \`${principalRef(ctx.principal)}\` to AUDITBOT_ADMINS (or the tenant's admins in AUDITBOT_CONFIG).`,
  };
}
