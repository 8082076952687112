import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useLogout } from '../features/auth/api';
import { isStaff } from '../../../shared/auth';
import { useRouteMeta } from '../lib/page-meta';
import { isAdmin, useSession } from '../lib/session';
import { trpc } from '../trpc';
import { Avatar } from './Avatar';
import { ServiceBanner } from './ServiceBanner';
import { useToast } from './Toasts';

function ProfileMenu() {
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const toast = useToast();
  const logout = useLogout();

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !(event.target instanceof Node && menuRef.current?.contains(event.target))) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  if (!user) return null;

  const signedOut = () => {
    setOpen(false);
    toast.success('You are signed out.');
    void navigate('/');
  };
  // A failed logout still signs this browser out (the cookies may already be gone): no error to show.
  const signOut = () => logout.run(undefined, { onSuccess: signedOut, onError: signedOut });

  return (
    <div className="profile-menu" ref={menuRef}>
      <button
        type="button"
        className="profile-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={`Account menu for ${user.name}`}
        onClick={() => setOpen((v) => !v)}
      >
        <Avatar name={user.name} url={user.avatarUrl} size={32} />
        <span className="profile-name">{user.name.split(' ')[0]}</span>
        <span aria-hidden="true" className="caret">
          ▾
        </span>
      </button>
      {open && (
        <div className="menu" role="menu" aria-label="Account">
          <div className="menu-header">
            <strong>{user.name}</strong>
            <span className="muted small">{user.email}</span>
          </div>
          <Link role="menuitem" to="/profile" onClick={() => setOpen(false)}>
            Profile &amp; security
          </Link>
          <Link role="menuitem" to="/tickets" onClick={() => setOpen(false)}>
            My tickets
          </Link>
          <button role="menuitem" type="button" onClick={signOut} disabled={logout.pending}>
            {logout.pending ? 'Signing out…' : 'Log out'}
          </button>
        </div>
      )}
    </div>
  );
}

export function Layout() {
  const { user, loading } = useSession();
  const location = useLocation();
  // The small-screen menu is open on the page it was opened on; moving to another page closes it.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === location.pathname;
  const next = encodeURIComponent(`${location.pathname}${location.search}`);
  const onAuthPage = location.pathname === '/login' || location.pathname === '/register';
  // A toast about the page being left does not follow to the next one.
  const { dropStale } = useToast();
  useEffect(() => dropStale(), [location.pathname, dropStale]);
  useRouteMeta(location.pathname);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="navbar">
        <nav className="navbar-inner" aria-label="Main">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              T
            </span>
            Tessera
          </Link>
          <button
            type="button"
            className="nav-toggle"
            aria-expanded={menuOpen}
            aria-controls="nav-links"
            onClick={() => setMenuOpenOn(menuOpen ? null : location.pathname)}
          >
            <span className="visually-hidden">Menu</span>
            <span aria-hidden="true">☰</span>
          </button>
          <ul id="nav-links" className={`nav-links ${menuOpen ? 'open' : ''}`}>
            <li>
              <NavLink to="/" end>
                Events
              </NavLink>
            </li>
            {user && (
              <li>
                <NavLink to="/tickets">My tickets</NavLink>
              </li>
            )}
            {isStaff(user) && (
              <li>
                <NavLink to="/staff/events" className={() => (location.pathname.startsWith('/staff') ? 'active' : '')}>
                  Staff
                </NavLink>
              </li>
            )}
            {isAdmin(user) && (
              <li>
                <NavLink to="/admin/users" className={() => (location.pathname.startsWith('/admin') ? 'active' : '')}>
                  Admin
                </NavLink>
              </li>
            )}
          </ul>
          <div className="nav-account">
            {user ? (
              <ProfileMenu />
            ) : loading ? null : (
              !onAuthPage && (
                <>
                  <Link to={`/login?next=${next}`} className="button button-ghost">
                    Sign in
                  </Link>
                  <Link to="/register" className="button button-primary hide-narrow">
                    Create account
                  </Link>
                </>
              )
            )}
          </div>
        </nav>
      </header>
      <ServiceBanner />
      <main className="content" id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="footer">
        <span>
          Tessera · open ticketing <ServerStatus />
        </span>
        <span className="muted small">
          No booking fees: the price shown is the price you pay. Cancel an order from My tickets until the event starts.
        </span>
      </footer>
    </div>
  );
}

/** The `health` answer, small: which database and version this server runs (operators ask). */
function ServerStatus() {
  const health = trpc.health.useQuery(undefined, { staleTime: 60_000, refetchOnWindowFocus: false });
  if (health.isError)
    return (
      <span className="muted small" role="status">
        · server unreachable
      </span>
    );
  if (!health.data) return null;
  const database = health.data.database === 'pglite' ? 'embedded PostgreSQL (pglite)' : 'PostgreSQL';
  return (
    <span className="muted small" aria-label={`Server ${health.data.status}, ${database}, version ${health.data.version}`}>
      · v{health.data.version} on {database}
    </span>
  );
}
