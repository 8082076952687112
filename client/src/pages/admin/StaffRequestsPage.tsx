import { useState, type FormEvent } from 'react';
import { FormError, PendingButton, TextField } from '../../components/Form';
import { LoadError, LoadMore, Loading } from '../../components/QueryStatus';
import { ADMIN_LINKS, SubNav } from '../../components/SubNav';
import { useToast } from '../../components/Toasts';
import { useApproveStaff, useCreateStaff } from '../../features/admin/api';
import { formatDate } from '../../lib/format';
import { trpc, type RouterOutputs } from '../../trpc';

type User = RouterOutputs['admin']['users']['list']['items'][number];

export function StaffRequestsPage() {
  const staff = trpc.admin.users.list.useInfiniteQuery({ role: 'STAFF', limit: 100 }, { getNextPageParam: (p) => p.nextCursor ?? undefined });
  const all = staff.data?.pages.flatMap((p) => p.items) ?? [];
  const pending = all.filter((u) => u.staffStatus === 'PENDING');
  const approved = all.filter((u) => u.staffStatus === 'APPROVED');

  return (
    <div className="admin-page">
      <SubNav label="Admin" links={ADMIN_LINKS} />
      <h1>Staff requests</h1>
      <section className="card" aria-labelledby="queue-title">
        <h2 id="queue-title">Waiting for approval</h2>
        {staff.isPending ? (
          <Loading />
        ) : staff.isError ? (
          <LoadError error={staff.error} />
        ) : pending.length === 0 ? (
          <p className="muted">No one is waiting. New staff requests appear here.</p>
        ) : (
          <ul className="plain-list">
            {pending.map((user) => (
              <PendingRow key={user.id} user={user} />
            ))}
          </ul>
        )}
        <LoadMore query={staff} centered={false} />
      </section>
      <div className="split even">
        <CreateStaff />
        <section className="card" aria-labelledby="approved-title">
          <h2 id="approved-title">Approved staff</h2>
          {approved.length === 0 ? (
            <p className="muted">None yet.</p>
          ) : (
            <ul className="plain-list">
              {approved.map((u) => (
                <li key={u.id}>
                  <strong>{u.name}</strong> <span className="muted small">{u.email}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

function PendingRow({ user }: { user: User }) {
  const toast = useToast();
  const approve = useApproveStaff();
  const doApprove = () => approve.run({ userId: user.id }, { onSuccess: () => toast.success(`${user.name} is now approved staff.`) });
  return (
    <li className="request-row">
      <div>
        <strong>{user.name}</strong>
        <span className="small muted block">
          {user.email} · asked {formatDate(user.createdAt)}
        </span>
      </div>
      <PendingButton type="button" pending={approve.pending} pendingLabel="Approving…" onClick={doApprove} aria-label={`Approve ${user.name}`}>
        Approve
      </PendingButton>
    </li>
  );
}

function CreateStaff() {
  const toast = useToast();
  const create = useCreateStaff();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.run(
      { name, email, password },
      {
        onSuccess: (user) => {
          toast.success(`Staff account for ${user.name} created; approve it when ready.`);
          setName('');
          setEmail('');
          setPassword('');
        },
      },
    );
  };
  const fields = create.fieldErrors;
  return (
    <section className="card" aria-labelledby="create-staff-title">
      <h2 id="create-staff-title">Create a staff account</h2>
      <form onSubmit={submit} noValidate>
        <FormError>{create.formError}</FormError>
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} errors={fields.name} />
        <TextField label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} errors={fields.email} />
        <TextField
          label="Temporary password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={fields.password}
        />
        <PendingButton pending={create.pending} pendingLabel="Creating…">
          Create staff account
        </PendingButton>
      </form>
    </section>
  );
}
