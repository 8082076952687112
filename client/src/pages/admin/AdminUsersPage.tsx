import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { FormError, PendingButton, SaveButton, SelectField, TextField } from '../../components/Form';
import { Avatar } from '../../components/Avatar';
import { LoadError, LoadMore, Loading } from '../../components/QueryStatus';
import { ADMIN_LINKS, SubNav } from '../../components/SubNav';
import { useToast } from '../../components/Toasts';
import { useDeleteUser, useUpdateUser } from '../../features/admin/api';
import { formatDate } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useDebounced } from '../../lib/useDebounced';
import { trpc, type RouterOutputs } from '../../trpc';
import { useUnsavedChanges } from '../../lib/unsaved-changes';
import { ROLES } from '../../../../shared/auth';

type User = RouterOutputs['admin']['users']['list']['items'][number];
type Role = User['role'];

const ROLE_LABEL: Record<Role, string> = { CUSTOMER: 'Customer', STAFF: 'Staff', ADMIN: 'Admin' };
const roleOf = (value: string): Role | undefined => ROLES.find((role) => role === value);

export function roleText(user: Pick<User, 'role' | 'staffStatus'>): string {
  if (user.role === 'STAFF' && user.staffStatus === 'PENDING') return 'Staff (awaiting approval)';
  return ROLE_LABEL[user.role];
}

export function AdminUsersPage() {
  // The audit log links people here as ?q=<name or email>.
  const [params] = useSearchParams();
  const [search, setSearch] = useState(() => params.get('q') ?? '');
  const [role, setRole] = useState<Role | ''>('');
  const q = useDebounced(search.trim(), 300);
  const users = trpc.admin.users.list.useInfiniteQuery(
    { q: q || undefined, role: role || undefined, limit: 25 },
    { getNextPageParam: (p) => p.nextCursor ?? undefined },
  );
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <div className="admin-page">
      <SubNav label="Admin" links={ADMIN_LINKS} />
      <h1>Users</h1>
      <div className="filters">
        <TextField label="Search by name or email" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <SelectField label="Role" value={role} onChange={(e) => setRole(roleOf(e.target.value) ?? '')}>
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
              {editing === user.id ? (
                <EditUser user={user} onDone={() => setEditing(null)} />
              ) : (
                <UserSummary user={user} onEdit={() => setEditing(user.id)} />
              )}
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
  const remove = useDeleteUser();
  const [confirm, setConfirm] = useState(false);
  const doDelete = () =>
    remove.run({ userId: user.id }, { onSuccess: () => toast.success(`${user.name}’s account is deleted. Their orders are kept.`) });
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
      <span
        className={`badge ${user.role === 'ADMIN' ? 'badge-info' : user.staffStatus === 'PENDING' ? 'badge-warn' : user.role === 'STAFF' ? 'badge-ok' : 'badge-neutral'}`}
      >
        {roleText(user)}
      </span>
      <div className="user-actions">
        <button type="button" className="button button-ghost button-small" onClick={onEdit} aria-label={`Edit ${user.name}`}>
          Edit
        </button>
        {me?.id !== user.id &&
          (confirm ? (
            <PendingButton
              type="button"
              variant="danger"
              className="button-small"
              pending={remove.pending}
              pendingLabel="Deleting…"
              onClick={doDelete}
            >
              Confirm delete
            </PendingButton>
          ) : (
            <button
              type="button"
              className="button button-ghost button-small danger-text"
              onClick={() => setConfirm(true)}
              aria-label={`Delete ${user.name}`}
            >
              Delete
            </button>
          ))}
      </div>
    </div>
  );
}

function EditUser({ user, onDone }: { user: User; onDone: () => void }) {
  const toast = useToast();
  const update = useUpdateUser();
  const [name, setName] = useState(user.name);
  const [email, setEmail] = useState(user.email);
  const [phone, setPhone] = useState(user.phone ?? '');
  const [role, setRole] = useState<Role>(user.role);
  const dirty = name !== user.name || email !== user.email || phone !== (user.phone ?? '') || role !== user.role;
  useUnsavedChanges(`Edits to ${user.name}`, dirty);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.run(
      {
        userId: user.id,
        ...(name !== user.name && { name }),
        ...(email !== user.email && { email }),
        ...(phone !== (user.phone ?? '') && { phone }),
        ...(role !== user.role && { role }),
      },
      {
        onSuccess: () => {
          toast.success('Saved.');
          onDone();
        },
      },
    );
  };
  const fields = update.fieldErrors;
  return (
    <form onSubmit={submit} noValidate className="form-grid" aria-label={`Edit ${user.name}`}>
      <FormError>{update.formError}</FormError>
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} errors={fields.name} />
      <TextField label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} errors={fields.email} />
      <TextField label="Phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} errors={fields.phone} />
      <SelectField label="Role" value={role} onChange={(e) => setRole(roleOf(e.target.value) ?? role)} errors={fields.role}>
        <option value="CUSTOMER">Customer</option>
        <option value="STAFF">Staff</option>
        <option value="ADMIN">Admin</option>
      </SelectField>
      <div className="button-row span-2">
        <SaveButton pending={update.pending} dirty={dirty} saved={update.status === 'success'}>
          Save
        </SaveButton>
        <button type="button" className="button button-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
