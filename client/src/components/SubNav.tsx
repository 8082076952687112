import { NavLink } from 'react-router';

export function SubNav({ label, links }: { label: string; links: Array<[to: string, text: string]> }) {
  return (
    <nav className="subnav" aria-label={label}>
      {links.map(([to, text]) => (
        <NavLink key={to} to={to}>
          {text}
        </NavLink>
      ))}
    </nav>
  );
}

export const STAFF_LINKS: Array<[string, string]> = [
  ['/staff/events', 'Events'],
  ['/staff/checkin', 'Check-in'],
  ['/staff/orders', 'Orders'],
  ['/staff/reports', 'Reports'],
];

export const ADMIN_LINKS: Array<[string, string]> = [
  ['/admin/users', 'Users'],
  ['/admin/staff', 'Staff requests'],
  ['/admin/audit', 'Audit log'],
];
