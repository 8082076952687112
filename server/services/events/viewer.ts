import type { Role, StaffStatus } from '../../generated/prisma/enums.js';

/** Who is looking: decides what is visible (drafts, other people's orders), not what is allowed. */
export interface Viewer {
  id: string;
  role: Role;
  staffStatus: StaffStatus;
}

/** Approved staff or an admin: the same rule as staffProcedure, for data that public procedures scope. */
export function isStaff(viewer: Pick<Viewer, 'role' | 'staffStatus'> | null): boolean {
  return !!viewer && (viewer.role === 'ADMIN' || (viewer.role === 'STAFF' && viewer.staffStatus === 'APPROVED'));
}
