import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { EmailField, FormError, NewPasswordField, PendingButton, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import type { User } from '../../lib/api-types';
import { safeNext, useAcceptSession, useSession } from '../../lib/session';
import { useFormSubmit } from '../../lib/useFormSubmit';
import { trpc } from '../../trpc';
import { registerInput } from '../../../../shared/auth';

export function RegisterPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const accept = useAcceptSession();
  const toast = useToast();
  const { user } = useSession();
  const register = trpc.auth.register.useMutation();
  const form = useFormSubmit(register);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [requestStaff, setRequestStaff] = useState(false);
  const [done, setDone] = useState(false);

  if (user && !done) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.submit(registerInput, { name, email, password, requestStaff }, async (data) => {
      const session = await register.mutateAsync(data);
      setDone(true);
      accept(session.user as User);
      toast.success(
        requestStaff
          ? 'Welcome to Tessera! Your staff request is waiting for an administrator.'
          : 'Welcome to Tessera! We sent you a link to confirm your email.',
      );
      navigate(next, { replace: true });
    });
  };

  const fields = form.fieldErrors;
  return (
    <section className="auth-card card">
      <h1>Create your account</h1>
      <p className="muted">Hold seats, buy tickets and keep them all in one place.</p>
      <form onSubmit={submit} noValidate>
        <FormError>{form.formError}</FormError>
        <TextField label="Full name" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} required errors={fields.name} />
        <EmailField value={email} onChange={(e) => setEmail(e.target.value)} required errors={fields.email} />
        <NewPasswordField value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} errors={fields.password} />
        <div className="checkbox-field">
          <input id="request-staff" type="checkbox" checked={requestStaff} onChange={(e) => setRequestStaff(e.target.checked)} />
          <label htmlFor="request-staff">
            Request staff access
            <span className="muted small block">For event organisers and door staff. An administrator approves it.</span>
          </label>
        </div>
        <PendingButton pending={form.pending} pendingLabel="Creating account…" className="button-block">
          Create account
        </PendingButton>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to={`/login${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>Sign in</Link>
      </p>
    </section>
  );
}
