export { isStaff } from '../../../shared/auth.js';

/** Who is asking, as far as what they may see is concerned: drafts and others' orders are for staff. */
export interface Viewer {
  id: string;
  /** Approved staff or an admin (isStaff). */
  staff: boolean;
}
