import { salesReportInput } from '../../../shared/sales.js';
import { salesReport } from '../../services/sales/sales-report.js';
import { router, staffProcedure } from '../../trpc/init.js';

export const salesRouter = router({
  report: staffProcedure.input(salesReportInput).query(({ ctx, input }) => salesReport(ctx.deps, input)),
});
