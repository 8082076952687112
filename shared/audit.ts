import { formatMoney } from './money.js';

/**
 * The audit log's actions, as the admin page offers them for filtering: what each type is called.
 * Account and security events come first, then business actions.
 */
export const AUDIT_ACTIONS = {
  register: 'Registered',
  login: 'Signed in',
  login_failed: 'Failed sign-in',
  login_throttled: 'Sign-in throttled',
  logout: 'Signed out',
  logout_all: 'Signed out everywhere',
  session_revoked: 'Session ended',
  refresh_reuse: 'Stolen session token reused',
  password_change: 'Password changed',
  password_reset_requested: 'Password reset asked for',
  password_reset: 'Password reset',
  email_change_requested: 'Email change asked for',
  email_change: 'Email changed',
  email_verified: 'Email confirmed',
  profile_change: 'Profile changed',
  mfa_enabled: 'Two-step sign-in on',
  mfa_disabled: 'Two-step sign-in off',
  mfa_disable_failed: 'Two-step sign-in: wrong code to turn it off',
  mfa_locked: 'Two-step sign-in locked',
  mfa_recovery_code_used: 'Recovery code used',
  account_unlocked: 'Account unlocked',
  role_change: 'Role changed',
  staff_create: 'Staff account created',
  staff_approve: 'Staff approved',
  user_delete: 'Account deleted',
  admin_bootstrap: 'First admin created',
  event_create: 'Event created',
  event_update: 'Event changed',
  event_cancel: 'Event cancelled',
  prices_set: 'Prices set',
  discounts_set: 'Group discounts set',
  seats_generate: 'Seats generated',
  order_cancel: 'Order cancelled',
  ticket_checkin: 'Ticket checked in',
  template_save: 'Venue template saved',
  template_delete: 'Venue template deleted',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** A person, event or order a log line names, as the server resolved it when the log was read. */
export interface AuditPerson {
  id: string;
  name: string | null;
  email: string | null;
}

/** What the sentence of a log line needs: the row and the people, event and order it names. */
export interface AuditFacts {
  type: string;
  email: string | null;
  detail: unknown;
  /** Who acted (an admin, a staff member; the account itself when it acted on its own). */
  actor: AuditPerson | null;
  /** The account the line is about. */
  account: AuditPerson | null;
  event: { id: string; name: string } | null;
  order: { id: string; number: string } | null;
}

/** A piece of a sentence: text, or a link to a user, an event or an order. */
export type SentencePart = string | { kind: 'user' | 'event' | 'order'; id: string; text: string };

type Detail = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const personText = (p: AuditPerson | null, fallback: string | null): string => p?.name || p?.email || fallback || 'someone';

/**
 * The log line as a sentence ("Dana approved Stan as staff"), in parts so the page can link the
 * people, the event and the order; `sentenceText` joins them for CSV. Unknown types still read.
 */
export function auditSentence(facts: AuditFacts): SentencePart[] {
  const d: Detail = facts.detail && typeof facts.detail === 'object' ? (facts.detail as Detail) : {};
  const actorPart = (): SentencePart =>
    facts.actor ? { kind: 'user', id: facts.actor.id, text: personText(facts.actor, null) } : facts.account ? accountPart() : 'The system';
  const accountPart = (): SentencePart =>
    facts.account ? { kind: 'user', id: facts.account.id, text: personText(facts.account, facts.email) } : facts.email || 'an unknown account';
  const eventPart = (): SentencePart => (facts.event ? { kind: 'event', id: facts.event.id, text: facts.event.name } : 'an event');
  const orderPart = (): SentencePart =>
    facts.order ? { kind: 'order', id: facts.order.id, text: facts.order.number } : text(d.number) || 'an order';
  const bySomeoneElse = facts.actor !== null && facts.account !== null && facts.actor.id !== facts.account.id;
  const self = (verb: string): SentencePart[] => (bySomeoneElse ? [actorPart(), ` ${verb} for `, accountPart()] : [accountPart(), ` ${verb}`]);
  const before = (d.before ?? {}) as Detail;
  const after = (d.after ?? {}) as Detail;

  switch (facts.type) {
    case 'register':
      return [accountPart(), ' registered'];
    case 'login':
      return [accountPart(), ' signed in'];
    case 'login_failed':
      return [
        'A sign-in as ',
        facts.email ?? 'an unknown address',
        ' failed',
        d.reason ? ` (${text(d.reason).replace(/_/g, ' ').toLowerCase()})` : '',
      ];
    case 'login_throttled':
      return ['Sign-ins as ', facts.email ?? 'an unknown address', ' were throttled'];
    case 'logout':
      return [accountPart(), ' signed out'];
    case 'logout_all':
      return [accountPart(), ` signed out everywhere${typeof d.revoked === 'number' ? ` (${d.revoked} session${d.revoked === 1 ? '' : 's'})` : ''}`];
    case 'session_revoked':
      return [accountPart(), ' ended one of their sessions'];
    case 'refresh_reuse':
      return ['A used session token of ', accountPart(), ' came back (likely stolen); that session was ended'];
    case 'password_change':
      return [accountPart(), ' changed their password'];
    case 'password_reset_requested':
      return [accountPart(), ' asked for a password reset'];
    case 'password_reset':
      return [accountPart(), ' reset their password'];
    case 'email_change_requested':
      return [accountPart(), ' asked to change their email', d.to ? ` to ${text(d.to)}` : ''];
    case 'email_change':
      return [...self('changed the email'), d.from && d.to ? ` from ${text(d.from)} to ${text(d.to)}` : ''];
    case 'email_verified':
      return [accountPart(), ' confirmed their email'];
    case 'profile_change':
      return [...self('changed the profile'), Array.isArray(d.fields) && d.fields.length > 0 ? ` (${d.fields.map(text).join(', ')})` : ''];
    case 'mfa_enabled':
      return [accountPart(), ' turned on two-step sign-in'];
    case 'mfa_disabled':
      return [...self('turned off two-step sign-in')];
    case 'mfa_disable_failed':
      return [accountPart(), ' gave a wrong code to turn off two-step sign-in'];
    case 'mfa_locked':
      return ['Two-step sign-in for ', accountPart(), ' was locked after wrong codes'];
    case 'mfa_recovery_code_used':
      return [accountPart(), ' signed in with a recovery code'];
    case 'account_unlocked':
      return [accountPart(), ' unlocked their account'];
    case 'role_change':
      return [actorPart(), ' changed the role of ', accountPart(), ` from ${roleText(d.from)} to ${roleText(d.to)}`];
    case 'staff_create':
      return [actorPart(), ' created the staff account ', accountPart()];
    case 'staff_approve':
      return [actorPart(), ' approved ', accountPart(), ' as staff'];
    case 'user_delete':
      return [actorPart(), ' deleted the account ', facts.email ?? 'of a user'];
    case 'admin_bootstrap':
      return ['The first admin account, ', accountPart(), ', was created'];
    case 'event_create':
      return [actorPart(), ' created the event ', eventPart()];
    case 'event_update':
      return [actorPart(), ' changed ', eventPart(), ': ', changes(before, after)];
    case 'event_cancel':
      return [
        actorPart(),
        ' cancelled ',
        eventPart(),
        typeof d.releasedHolds === 'number' && d.releasedHolds > 0 ? ` (${d.releasedHolds} held seats released)` : '',
      ];
    case 'prices_set':
      return [actorPart(), ' set the prices of ', eventPart(), ': ', tierList(d.before), ' → ', tierList(d.after)];
    case 'discounts_set':
      return [actorPart(), ' set the group discounts of ', eventPart(), ': ', discountList(d.before), ' → ', discountList(d.after)];
    case 'seats_generate':
      return [
        actorPart(),
        ` generated ${count(d.created, 'seat')}${Array.isArray(d.sections) ? ` in ${d.sections.map(text).join(', ')}` : rowRange(d.rows, d.rowCount)} for `,
        eventPart(),
      ];
    case 'template_save':
      return [actorPart(), ` saved the venue template ${text(d.name)} (${count(d.seats, 'seat')})`];
    case 'template_delete':
      return [actorPart(), ` deleted the venue template ${text(d.name)}`];
    case 'order_cancel': {
      const refund =
        typeof d.refundCents === 'number' && typeof d.currency === 'string' ? `, ${formatMoney(d.refundCents, d.currency)} refunded` : '';
      return bySomeoneElse
        ? [actorPart(), ' cancelled order ', orderPart(), ' of ', accountPart(), ' for ', eventPart(), refund]
        : [accountPart(), ' cancelled their order ', orderPart(), ' for ', eventPart(), refund];
    }
    case 'ticket_checkin':
      return [actorPart(), ` checked in seat ${text(d.seat)} of order `, orderPart(), ' at ', eventPart(), d.gate ? ` (${text(d.gate)})` : ''];
    default:
      return [accountPart(), `: ${facts.type.replace(/_/g, ' ')}`];
  }
}

/** The sentence as plain text. */
export function sentenceText(parts: SentencePart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
}

function roleText(role: unknown): string {
  return text(role).toLowerCase() || 'none';
}

function count(n: unknown, noun: string): string {
  const value = typeof n === 'number' ? n : 0;
  return `${value.toLocaleString('en-US')} ${noun}${value === 1 ? '' : 's'}`;
}

function rowRange(rows: unknown, rowCount: unknown): string {
  if (!Array.isArray(rows) || rows.length === 0) return '';
  const names = rows.map((r) => text((r as Detail).row));
  const total = typeof rowCount === 'number' ? rowCount : names.length;
  if (total === 1) return ` in row ${names[0]}`;
  return ` in ${total} rows, ${names[0]} to ${total === names.length ? names[names.length - 1] : '…'}`;
}

const FIELD_NAMES: Record<string, string> = {
  name: 'name',
  description: 'description',
  venue: 'venue',
  startsAt: 'start',
  endsAt: 'end',
  imageUrl: 'image',
  timeZone: 'time zone',
  status: 'status',
};

function changes(before: Detail, after: Detail): string {
  const fields = Object.keys(after);
  if (fields.length === 0) return 'nothing';
  return fields
    .map((f) => {
      const show = (v: unknown) =>
        v === null || v === undefined || v === '' ? 'none' : f === 'startsAt' || f === 'endsAt' ? isoText(v) : `“${text(v)}”`;
      return `${FIELD_NAMES[f] ?? f} ${show(before[f])} → ${show(after[f])}`;
    })
    .join('; ');
}

function isoText(v: unknown): string {
  const s = text(v);
  return s ? s.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC') : 'none';
}

function tierList(list: unknown): string {
  if (!Array.isArray(list) || list.length === 0) return 'none';
  return list
    .map((t) => {
      const tier = t as Detail;
      return `${text(tier.name)} ${typeof tier.priceCents === 'number' ? formatMoney(tier.priceCents, text(tier.currency) || 'USD') : ''}`.trim();
    })
    .join(', ');
}

function discountList(list: unknown): string {
  if (!Array.isArray(list) || list.length === 0) return 'none';
  return list.map((r) => `${text((r as Detail).percentOff)}% off ${text((r as Detail).minQuantity)}+`).join(', ');
}
