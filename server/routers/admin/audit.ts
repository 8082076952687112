import { listAuditInput } from '../../../shared/admin.js';
import { listAuthEvents } from '../../services/audit/list-events.js';
import { adminProcedure, router } from '../../trpc/init.js';

export const auditRouter = router({
  list: adminProcedure.input(listAuditInput).query(({ ctx, input }) => listAuthEvents(ctx.deps, input)),
});
