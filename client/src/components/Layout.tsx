import { Link, NavLink, Outlet } from 'react-router';

export function Layout() {
  return (
    <div className="shell">
      <header className="navbar">
        <nav className="navbar-inner" aria-label="Main">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">T</span>
            Tessera
          </Link>
          <ul className="nav-links">
            <li>
              <NavLink to="/" end>
                Home
              </NavLink>
            </li>
          </ul>
        </nav>
      </header>
      <main className="content">
        <Outlet />
      </main>
      <footer className="footer">Tessera · open ticketing</footer>
    </div>
  );
}
