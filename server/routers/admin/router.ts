import { router } from '../../trpc/init.js';
import { auditRouter } from './audit.js';
import { salesRouter } from './sales.js';
import { staffRouter } from './staff.js';
import { usersRouter } from './users.js';

export const adminRouter = router({
  users: usersRouter,
  staff: staffRouter,
  audit: auditRouter,
  sales: salesRouter,
});
