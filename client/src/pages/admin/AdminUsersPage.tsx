import { useState, type FormEvent } from 'react';
import { FormError, PendingButton, SelectField, TextField } from '../../components/Form';
import { Avatar } from '../../components/Avatar';
import { LoadError, LoadMore, Loading } from '../../components/QueryStatus';
import { ADMIN_LINKS, SubNav } from '../../components/SubNav';
import { useToast } from '../../components/Toasts';
import type { Role, User } from '../../lib/api-types';
import { errorMessage } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useDebounced } from '../../lib/useDebounced';
import { useFormSubmit } from '../../lib/useFormSubmit';
import { useLock } from '../../lib/useLock';
import { trpc } from '../../trpc';
import { updateUserInput } from '../../../../shared/admin';

const ROLE_LABEL: Record<Role, string> = { CUSTOMER: 'Customer', STAFF: 'Staff', ADMIN: 'Admin' };

export function roleText(user: Pick<User, 'role' | 'staffStatus'>): string {
  if (user.role === 'STAFF' && user.staffStatus === 'PENDING') return 'Staff (awaiting approval)';
  return ROLE_LABEL[user.role];
}

export function AdminUsersPage() {
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const q = useDebounced(search.trim(), 300);
  const users = trpc.admin.users.list.useInfiniteQuery({ q: q || undefined, role: role || undefined, limit: 25 }, { getNextPageParam: (p) => p.nextCursor ?? undefined });
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <div className="admin-page">
      <SubNav label="Admin" links={ADMIN_LINKS} />
      <h1>Users</h1>
      <div className="filters">
        <TextField label="Search by name or email" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
          <option value="">All roles</option>
          <option value="CUSTOMER">Customers</option>
          <option value="STAFF">Staff</option>
          <option value="ADMIN">Admins</option>
        </SelectField>
      </div>
      {users.isPending ? (
        <Loading>Loading users…</Loading>
      ) : users.isError ? (
        <LoadError error={users.error} />
      ) : items.length === 0 ? (
        <p className="muted">No users match.</p>
      ) : (
        <ul className="user-list">
          {items.map((user) => (
            <li key={user.id} className="card user-row">
              {editing === user.id ? <EditUser user={user} onDone={() => setEditing(null)} /> : <UserSummary user={user} onEdit={() => setEditing(user.id)} />}
            </li>
          ))}
        </ul>
      )}
      <LoadMore query={users} />
    </div>
  );
}

function UserSummary({ user, onEdit }: { user: User; onEdit: () => void }) {
  const { user: me } = useSession();
  const toast = useToast();
  const utils = trpc.useUtils();
  const remove = trpc.admin.users.delete.useMutation();
  const lock = useLock();
  const [confirm, setConfirm] = useState(false);
  const doDelete = () =>
    lock.run(async () => {
      try {
        await remove.mutateAsync({ userId: user.id });
        toast.success(`${user.name}’s account is deleted. Their orders are kept.`);
        await utils.admin.users.list.invalidate();
      } catch (error) {
        toast.error(errorMessage(error));
      }
    });
  return (
    <div className="user-summary">
      <Avatar name={user.name} url={user.avatarUrl} size={40} />
      <div className="user-info">
        <strong>{user.name}</strong>
        <span className="small muted">
          {user.email}
          {user.phone ? ` · ${user.phone}` : ''} · joined {formatDate(user.createdAt)}
        </span>
      </div>
      <span className={`badge ${user.role === 'ADMIN' ? 'badge-info' : user.staffStatus === 'PENDING' ? 'badge-warn' : user.role === 'STAFF' ? 'badge-ok' : 'badge-neutral'}`}>{roleText(user)}</span>
      <div className="user-actions">
        <button type="button" className="button button-ghost button-small" onClick={onEdit} aria-label={`Edit ${user.name}`}>
          Edit
        </button>
        {me?.id !== user.id &&
          (confirm ? (
            <PendingButton type="button" variant="danger" className="button-small" pending={lock.locked} pendingLabel="Deleting…" onClick={doDelete}>
              Confirm delete
            </PendingButton>
          ) : (
            <button type="button" className="button button-ghost button-small danger-text" onClick={() => setConfirm(true)} aria-label={`Delete ${user.name}`}>
              Delete
            </button>
          ))}
      </div>
    </div>
  );
}

function EditUser({ user, onDone }: { user: User; onDone: () => void }) {
  const toast = useToast();
  const utils = trpc.useUtils();
  const update = trpc.admin.users.update.useMutation();
  const form = useFormSubmit(update);
  const [name, setName] = useState(user.name);
  const [email, setEmail] = useState(user.email);
  const [phone, setPhone] = useState(user.phone ?? '');
  const [role, setRole] = useState<Role>(user.role);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const changes: Record<string, unknown> = { userId: user.id };
    if (name !== user.name) changes.name = name;
    if (email !== user.email) changes.email = email;
    if (phone !== (user.phone ?? '')) changes.phone = phone;
    if (role !== user.role) changes.role = role;
    form.submit(updateUserInput, changes, async (data) => {
      await update.mutateAsync(data);
      toast.success('Saved.');
      await utils.admin.users.list.invalidate();
      onDone();
    });
  };
  const fields = form.fieldErrors;
  return (
    <form onSubmit={submit} noValidate className="form-grid" aria-label={`Edit ${user.name}`}>
      <FormError>{form.formError}</FormError>
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} errors={fields.name} />
      <TextField label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} errors={fields.email} />
      <TextField label="Phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} errors={fields.phone} />
      <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} errors={fields.role}>
        <option value="CUSTOMER">Customer</option>
        <option value="STAFF">Staff</option>
        <option value="ADMIN">Admin</option>
      </SelectField>
      <div className="button-row span-2">
        <PendingButton pending={form.pending} pendingLabel="Saving…">
          Save
        </PendingButton>
        <button type="button" className="button button-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
