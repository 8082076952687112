import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { isStaff } from '../../../shared/auth';
import { isAdmin, useSession } from '../lib/session';

interface RequireAuthProps {
  role?: 'staff' | 'admin';
  children: ReactNode;
}

/** Private pages: a signed-out visitor goes to /login and comes back here afterwards. */
export function RequireAuth({ role, children }: RequireAuthProps) {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading) {
    return (
      <p role="status" className="muted page-loading">
        Loading…
      </p>
    );
  }
  if (!user) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if ((role === 'staff' && !isStaff(user)) || (role === 'admin' && !isAdmin(user))) {
    return (
      <section className="card narrow">
        <h1>Not available</h1>
        <p className="muted">
          {role === 'staff' && user.staffStatus === 'PENDING'
            ? 'Your staff access is waiting for an administrator’s approval.'
            : 'Your account does not have access to this page.'}
        </p>
      </section>
    );
  }
  return <>{children}</>;
}
