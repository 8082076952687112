import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { EmailField, FormError, NewPasswordField, PendingButton, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import { useRegister } from '../../features/auth/api';
import { safeNext, useSession } from '../../lib/session';

export function RegisterPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const toast = useToast();
  const { user } = useSession();
  const register = useRegister();
  const [name, setName] = useState('');
  // A link that knows the address (a ticket sent to it, say) fills it in.
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [requestStaff, setRequestStaff] = useState(false);
  const [done, setDone] = useState(false);

  if (user && !done) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.run(
      { name, email, password, requestStaff },
      {
        onSuccess: () => {
          setDone(true);
          toast.success(
            requestStaff
              ? 'Welcome to Tessera! Your staff request is waiting for an administrator.'
              : 'Welcome to Tessera! We sent you a link to confirm your email.',
          );
          void navigate(next, { replace: true });
        },
      },
    );
  };

  const fields = register.fieldErrors;
  return (
    <section className="auth-card card">
      <h1>Create your account</h1>
      <p className="muted">Hold seats, buy tickets and keep them all in one place.</p>
      <form onSubmit={submit} noValidate>
        <FormError>{register.formError}</FormError>
        <TextField
          label="Full name"
          name="name"
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          errors={fields.name}
        />
        <EmailField value={email} onChange={(e) => setEmail(e.target.value)} required errors={fields.email} />
        <NewPasswordField value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} errors={fields.password} />
        <div className="checkbox-field">
          <input id="request-staff" type="checkbox" checked={requestStaff} onChange={(e) => setRequestStaff(e.target.checked)} />
          <label htmlFor="request-staff">
            Request staff access
            <span className="muted small block">For event organisers and door staff. An administrator approves it.</span>
          </label>
        </div>
        <PendingButton pending={register.pending} pendingLabel="Creating account…" className="button-block">
          Create account
        </PendingButton>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to={`/login${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>Sign in</Link>
      </p>
    </section>
  );
}
