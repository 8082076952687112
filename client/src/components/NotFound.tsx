import { Link } from 'react-router';

export function NotFound() {
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address.</p>
      <Link to="/" className="button">
        Back to the start page
      </Link>
    </section>
  );
}
