import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Route, RouterProvider, Routes } from 'react-router';
import { Layout } from './components/Layout';
import { NotFound } from './components/NotFound';
import { RequireAuth } from './components/RequireAuth';
import { CheckoutPage } from './pages/CheckoutPage';
import { EventPage } from './pages/EventPage';
import { HomePage } from './pages/HomePage';
import { ProfilePage } from './pages/ProfilePage';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage';
import { LoginPage } from './pages/auth/LoginPage';
import { RegisterPage } from './pages/auth/RegisterPage';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage';
import { UnlockAccountPage } from './pages/auth/UnlockAccountPage';
import { VerifyEmailPage } from './pages/auth/VerifyEmailPage';
import { UnsavedChangesProvider } from './lib/unsaved-changes';

// Tickets and claimed tickets (QR and barcode code), staff and admin pages (and the charting library) load only when opened.
const TicketsPage = lazy(() => import('./pages/TicketsPage').then((m) => ({ default: m.TicketsPage })));
const ClaimTransferPage = lazy(() => import('./pages/ClaimTransferPage').then((m) => ({ default: m.ClaimTransferPage })));
const StaffEventsPage = lazy(() => import('./pages/staff/StaffEventsPage').then((m) => ({ default: m.StaffEventsPage })));
const CheckinPage = lazy(() => import('./pages/staff/CheckinPage').then((m) => ({ default: m.CheckinPage })));
const StaffOrdersPage = lazy(() => import('./pages/staff/StaffOrdersPage').then((m) => ({ default: m.StaffOrdersPage })));
const ReportsPage = lazy(() => import('./pages/staff/ReportsPage').then((m) => ({ default: m.ReportsPage })));
const AdminUsersPage = lazy(() => import('./pages/admin/AdminUsersPage').then((m) => ({ default: m.AdminUsersPage })));
const StaffRequestsPage = lazy(() => import('./pages/admin/StaffRequestsPage').then((m) => ({ default: m.StaffRequestsPage })));
const AuditPage = lazy(() => import('./pages/admin/AuditPage').then((m) => ({ default: m.AuditPage })));

/** A page loaded when opened: "Loading…" until its code is there. */
function Lazy({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <p role="status" className="muted page-loading">
          Loading…
        </p>
      }
    >
      {children}
    </Suspense>
  );
}

function Private({ role, children }: { role?: 'staff' | 'admin'; children: ReactNode }) {
  return (
    <RequireAuth role={role}>
      <Lazy>{children}</Lazy>
    </RequireAuth>
  );
}

export function AppRoutes() {
  return (
    <UnsavedChangesProvider>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<HomePage />} />
          <Route path="events/:id" element={<EventPage />} />
          <Route path="login" element={<LoginPage />} />
          <Route path="register" element={<RegisterPage />} />
          <Route path="forgot-password" element={<ForgotPasswordPage />} />
          <Route path="reset-password" element={<ResetPasswordPage />} />
          <Route path="verify-email" element={<VerifyEmailPage />} />
          <Route path="unlock-account" element={<UnlockAccountPage />} />
          {/* A claim link opens signed out too: the page says how to sign in with the right address. */}
          <Route
            path="transfer"
            element={
              <Lazy>
                <ClaimTransferPage />
              </Lazy>
            }
          />
          <Route
            path="checkout"
            element={
              <Private>
                <CheckoutPage />
              </Private>
            }
          />
          <Route
            path="tickets"
            element={
              <Private>
                <TicketsPage />
              </Private>
            }
          />
          <Route
            path="profile"
            element={
              <Private>
                <ProfilePage />
              </Private>
            }
          />
          <Route
            path="staff/events"
            element={
              <Private role="staff">
                <StaffEventsPage />
              </Private>
            }
          />
          <Route
            path="staff/checkin"
            element={
              <Private role="staff">
                <CheckinPage />
              </Private>
            }
          />
          <Route
            path="staff/orders"
            element={
              <Private role="staff">
                <StaffOrdersPage />
              </Private>
            }
          />
          <Route
            path="staff/reports"
            element={
              <Private role="staff">
                <ReportsPage />
              </Private>
            }
          />
          <Route
            path="admin/users"
            element={
              <Private role="admin">
                <AdminUsersPage />
              </Private>
            }
          />
          <Route
            path="admin/staff"
            element={
              <Private role="admin">
                <StaffRequestsPage />
              </Private>
            }
          />
          <Route
            path="admin/audit"
            element={
              <Private role="admin">
                <AuditPage />
              </Private>
            }
          />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </UnsavedChangesProvider>
  );
}

/**
 * A data router around the route tree, so that forms with unsaved edits can hold a navigation
 * (useBlocker needs one); the routes themselves stay declared as elements below it.
 */
const router = createBrowserRouter([{ path: '*', element: <AppRoutes /> }]);

export function App() {
  return <RouterProvider router={router} />;
}
