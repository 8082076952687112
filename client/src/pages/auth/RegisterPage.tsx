import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { FormError, PendingButton, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import type { User } from '../../lib/api-types';
import { errorMessage, fieldErrorsOf } from '../../lib/errors';
import { safeNext, useAcceptSession, useSession } from '../../lib/session';
import { useLock } from '../../lib/useLock';
import { validate } from '../../lib/validate';
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
  const lock = useLock();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [requestStaff, setRequestStaff] = useState(false);
  const [done, setDone] = useState(false);
  const [localErrors, setLocalErrors] = useState<Record<string, string[]> | null>(null);

  if (user && !done) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = validate(registerInput, { name, email, password, requestStaff });
    if (!checked.ok) {
      setLocalErrors(checked.fieldErrors);
      return;
    }
    setLocalErrors(null);
    void lock.run(async () => {
      try {
        const session = await register.mutateAsync(checked.data);
        setDone(true);
        accept(session.user as User);
        toast.success(
          requestStaff
            ? 'Welcome to Tessera! Your staff request is waiting for an administrator.'
            : 'Welcome to Tessera! We sent you a link to confirm your email.',
        );
        navigate(next, { replace: true });
      } catch {
        // Shown from register.error below.
      }
    });
  };

  const fields = localErrors ?? fieldErrorsOf(register.error);
  const hasFieldErrors = Object.keys(fields).length > 0;
  return (
    <section className="auth-card card">
      <h1>Create your account</h1>
      <p className="muted">Hold seats, buy tickets and keep them all in one place.</p>
      <form onSubmit={submit} noValidate>
        <FormError>{register.error && !localErrors && !hasFieldErrors ? errorMessage(register.error) : null}</FormError>
        <TextField label="Full name" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} required errors={fields.name} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
          errors={fields.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={8}
          hint="At least 8 characters. Common passwords are refused."
          errors={fields.password}
        />
        <div className="checkbox-field">
          <input id="request-staff" type="checkbox" checked={requestStaff} onChange={(e) => setRequestStaff(e.target.checked)} />
          <label htmlFor="request-staff">
            Request staff access
            <span className="muted small block">For event organisers and door staff. An administrator approves it.</span>
          </label>
        </div>
        <PendingButton pending={lock.locked} pendingLabel="Creating account…" className="button-block">
          Create account
        </PendingButton>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to={`/login${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>Sign in</Link>
      </p>
    </section>
  );
}
