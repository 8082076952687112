import { useState, type FormEvent } from 'react';
import { FormError, PendingButton, TextField } from '../../components/Form';
import { LoadError, LoadMore, Loading } from '../../components/QueryStatus';
import { ADMIN_LINKS, SubNav } from '../../components/SubNav';
import { useToast } from '../../components/Toasts';
import type { User } from '../../lib/api-types';
import { errorMessage } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { useFormSubmit } from '../../lib/useFormSubmit';
import { useLock } from '../../lib/useLock';
import { trpc } from '../../trpc';
import { createStaffInput } from '../../../../shared/admin';

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
  const utils = trpc.useUtils();
  const approve = trpc.admin.staff.approve.useMutation();
  const lock = useLock();
  const doApprove = () =>
    lock.run(async () => {
      try {
        await approve.mutateAsync({ userId: user.id });
        toast.success(`${user.name} is now approved staff.`);
        await utils.admin.users.list.invalidate();
      } catch (error) {
        toast.error(errorMessage(error));
      }
    });
  return (
    <li className="request-row">
      <div>
        <strong>{user.name}</strong>
        <span className="small muted block">
          {user.email} · asked {formatDate(user.createdAt)}
        </span>
      </div>
      <PendingButton type="button" pending={lock.locked} pendingLabel="Approving…" onClick={doApprove} aria-label={`Approve ${user.name}`}>
        Approve
      </PendingButton>
    </li>
  );
}

function CreateStaff() {
  const toast = useToast();
  const utils = trpc.useUtils();
  const create = trpc.admin.staff.create.useMutation();
  const form = useFormSubmit(create);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.submit(createStaffInput, { name, email, password }, async (data) => {
      const user = await create.mutateAsync(data);
      toast.success(`Staff account for ${user.name} created; approve it when ready.`);
      setName('');
      setEmail('');
      setPassword('');
      await utils.admin.users.list.invalidate();
    });
  };
  const fields = form.fieldErrors;
  return (
    <section className="card" aria-labelledby="create-staff-title">
      <h2 id="create-staff-title">Create a staff account</h2>
      <form onSubmit={submit} noValidate>
        <FormError>{form.formError}</FormError>
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} errors={fields.name} />
        <TextField label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} errors={fields.email} />
        <TextField label="Temporary password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} errors={fields.password} />
        <PendingButton pending={form.pending} pendingLabel="Creating…">
          Create staff account
        </PendingButton>
      </form>
    </section>
  );
}
