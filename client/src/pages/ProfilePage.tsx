import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Avatar } from '../components/Avatar';
import { EmailField, FormError, NewPasswordField, PasswordField, PendingButton, TextField } from '../components/Form';
import { LoadError, Loading } from '../components/QueryStatus';
import { useToast } from '../components/Toasts';
import type { User } from '../lib/api-types';
import { errorMessage, fieldErrorsOf } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { useForgetSession, useSession } from '../lib/session';
import { uploadAvatar } from '../lib/upload';
import { useFormSubmit } from '../lib/useFormSubmit';
import { useLock } from '../lib/useLock';
import { trpc } from '../trpc';
import { changePasswordInput, updateProfileInput } from '../../../shared/profile';

export function ProfilePage() {
  const { user } = useSession();
  if (!user) return null;
  return (
    <div className="profile-page">
      <h1>Profile &amp; security</h1>
      <div className="profile-grid">
        <AvatarSection user={user} />
        <DetailsSection user={user} />
        <PasswordSection />
        <TwoFactorSection user={user} />
        <SessionsSection />
      </div>
    </div>
  );
}

function AvatarSection({ user }: { user: User }) {
  const toast = useToast();
  const utils = trpc.useUtils();
  const lock = useLock();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0] ?? null;
    setError(null);
    // A refused file must not leave an earlier choice ready to upload.
    if (chosen && !chosen.type.startsWith('image/')) {
      setFile(null);
      setError('Choose an image file (PNG, JPEG or WebP).');
      return;
    }
    // The server's limit (AVATAR_MAX_BYTES).
    if (chosen && chosen.size > 2 * 1024 * 1024) {
      setFile(null);
      setError('Choose an image smaller than 2 MB.');
      return;
    }
    setFile(chosen);
  };

  const upload = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    void lock.run(async () => {
      try {
        const { avatarUrl } = await uploadAvatar(file);
        utils.auth.me.setData(undefined, (old) => (old ? { ...old, avatarUrl } : old));
        await utils.auth.me.invalidate();
        setFile(null);
        toast.success('Your picture is updated.');
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    });
  };

  return (
    <section className="card" aria-labelledby="avatar-title">
      <h2 id="avatar-title">Picture</h2>
      <form onSubmit={upload} className="avatar-form">
        <div className="avatar-preview">
          {preview ? <img src={preview} alt="Preview of your new picture" className="avatar" width={88} height={88} /> : <Avatar name={user.name} url={user.avatarUrl} size={88} />}
        </div>
        <div className="field">
          <label htmlFor="avatar-file">Choose a picture</label>
          <input id="avatar-file" type="file" accept="image/png,image/jpeg,image/webp" onChange={choose} aria-describedby={error ? 'avatar-error' : undefined} />
          {error && (
            <p id="avatar-error" className="field-error">
              {error}
            </p>
          )}
        </div>
        <PendingButton pending={lock.locked} pendingLabel="Uploading…" disabled={!file}>
          Upload picture
        </PendingButton>
      </form>
    </section>
  );
}

function DetailsSection({ user }: { user: User }) {
  const toast = useToast();
  const utils = trpc.useUtils();
  const update = trpc.profile.update.useMutation();
  const requestVerification = trpc.auth.requestEmailVerification.useMutation();
  const form = useFormSubmit(update);
  const [name, setName] = useState(user.name);
  const [email, setEmail] = useState(user.email);
  const [currentPassword, setCurrentPassword] = useState('');
  const [phone, setPhone] = useState(user.phone ?? '');
  const emailChanging = email.trim().toLowerCase() !== user.email;

  const save = (event: FormEvent) => {
    event.preventDefault();
    const changes: { name?: string; email?: string; phone?: string; currentPassword?: string } = {};
    if (name.trim() !== user.name) changes.name = name;
    if (emailChanging) Object.assign(changes, { email, currentPassword });
    if (phone.trim() !== (user.phone ?? '')) changes.phone = phone;
    form.submit(updateProfileInput, changes, async (data) => {
      const updated = await update.mutateAsync(data);
      utils.auth.me.setData(undefined, updated as never);
      setEmail(updated.email);
      setCurrentPassword('');
      toast.success(changes.email ? `Check ${changes.email.trim().toLowerCase()} for a link to confirm the change.` : 'Your details are saved.');
    });
  };

  const fields = form.fieldErrors;
  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">Your details</h2>
      {!user.emailVerified && (
        <div className="notice">
          <p>Your email address is not confirmed yet.</p>
          <PendingButton
            type="button"
            variant="secondary"
            className="button-small"
            pending={requestVerification.isPending}
            pendingLabel="Sending…"
            disabled={requestVerification.isSuccess}
            onClick={() =>
              requestVerification.mutate(undefined, {
                onSuccess: () => toast.success(`We sent a confirmation link to ${user.email}.`),
                onError: (e) => toast.error(errorMessage(e)),
              })
            }
          >
            {requestVerification.isSuccess ? 'Link sent' : 'Send confirmation link'}
          </PendingButton>
        </div>
      )}
      <form onSubmit={save} noValidate>
        <FormError>{form.formError}</FormError>
        <TextField label="Full name" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} errors={fields.name} />
        <EmailField
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          errors={fields.email}
          hint={
            user.pendingEmail
              ? `Waiting for you to confirm ${user.pendingEmail}: open the link we sent there. Until then you sign in with ${user.email}.`
              : user.emailVerified
                ? 'Confirmed.'
                : undefined
          }
        />
        {emailChanging && (
          <PasswordField
            label="Current password (to change your email)"
            name="currentPassword"
            value={currentPassword}
            onChange={(e) => setCurrentPassword(e.target.value)}
            errors={fields.currentPassword}
          />
        )}
        <TextField label="Phone (optional)" name="phone" type="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} errors={fields.phone} />
        <PendingButton pending={form.pending} pendingLabel="Saving…">
          Save details
        </PendingButton>
      </form>
    </section>
  );
}

function PasswordSection() {
  const toast = useToast();
  const change = trpc.profile.changePassword.useMutation();
  const form = useFormSubmit(change);
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.submit(changePasswordInput, { currentPassword, newPassword }, async () => {
      await change.mutateAsync({ currentPassword, newPassword });
      setCurrent('');
      setNew('');
      toast.success('Password changed. Your other devices were signed out.');
    });
  };
  const fields = form.fieldErrors;
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form onSubmit={submit} noValidate>
        <FormError>{form.formError}</FormError>
        <PasswordField label="Current password" name="currentPassword" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} errors={fields.currentPassword} />
        <NewPasswordField label="New password" name="newPassword" value={newPassword} onChange={(e) => setNew(e.target.value)} errors={fields.newPassword} />
        <PendingButton pending={form.pending} pendingLabel="Changing…" disabled={!currentPassword || !newPassword}>
          Change password
        </PendingButton>
      </form>
    </section>
  );
}

function TwoFactorSection({ user }: { user: User }) {
  const toast = useToast();
  const utils = trpc.useUtils();
  const setup = trpc.auth.mfa.setup.useMutation();
  const enable = trpc.auth.mfa.enable.useMutation();
  const disable = trpc.auth.mfa.disable.useMutation();
  const lock = useLock();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  const start = () =>
    lock.run(async () => {
      try {
        await setup.mutateAsync();
      } catch (e) {
        toast.error(errorMessage(e));
      }
    });

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void lock.run(async () => {
      try {
        const result = await enable.mutateAsync({ code: code.trim() });
        setRecoveryCodes(result.recoveryCodes);
        setCode('');
        setup.reset();
        await utils.auth.me.invalidate();
      } catch {
        // Shown beside the field.
      }
    });
  };

  const turnOff = (event: FormEvent) => {
    event.preventDefault();
    void lock.run(async () => {
      try {
        await disable.mutateAsync({ password, code: code.trim() });
        setPassword('');
        setCode('');
        toast.success('Two-step verification is off.');
        await utils.auth.me.invalidate();
      } catch {
        // Shown beside the fields.
      }
    });
  };

  if (recoveryCodes) {
    return (
      <section className="card" aria-labelledby="mfa-title">
        <h2 id="mfa-title">Two-step verification is on</h2>
        <p>Keep these recovery codes somewhere safe. Each one signs you in once if you lose your phone. They are shown only now.</p>
        <ul className="recovery-codes" aria-label="Recovery codes">
          {recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <div className="button-row">
          <button type="button" className="button button-secondary" onClick={() => void navigator.clipboard?.writeText(recoveryCodes.join('\n')).then(() => toast.success('Copied.'))}>
            Copy codes
          </button>
          <button type="button" className="button button-primary" onClick={() => setRecoveryCodes(null)}>
            I saved them
          </button>
        </div>
      </section>
    );
  }

  if (user.mfaEnabled) {
    const fields = fieldErrorsOf(disable.error);
    return (
      <section className="card" aria-labelledby="mfa-title">
        <h2 id="mfa-title">Two-step verification</h2>
        <p>
          <span className="badge badge-ok">On</span> Signing in asks for a code from your authenticator app.
        </p>
        <form onSubmit={turnOff} noValidate>
          <FormError>{disable.error && Object.keys(fields).length === 0 ? errorMessage(disable.error) : null}</FormError>
          <PasswordField value={password} onChange={(e) => setPassword(e.target.value)} errors={fields.password} />
          <TextField label="Authentication code" name="code" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} errors={fields.code} />
          <PendingButton variant="danger" pending={lock.locked} pendingLabel="Turning off…" disabled={!password || !code}>
            Turn off two-step verification
          </PendingButton>
        </form>
      </section>
    );
  }

  const fields = fieldErrorsOf(enable.error);
  return (
    <section className="card" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-step verification</h2>
      {!setup.data ? (
        <>
          <p className="muted">Protect your tickets with a code from an authenticator app each time you sign in.</p>
          <PendingButton type="button" variant="secondary" pending={lock.locked} pendingLabel="Preparing…" onClick={start}>
            Set up two-step verification
          </PendingButton>
        </>
      ) : (
        <form onSubmit={confirm} noValidate>
          <p>Scan this code with your authenticator app, then enter the 6-digit code it shows.</p>
          <img src={setup.data.qrCodeDataUrl} alt="QR code to add Tessera to your authenticator app" width={180} height={180} className="mfa-qr" />
          <p className="small muted">
            Can’t scan? Enter this key: <code className="secret">{setup.data.secret}</code>
          </p>
          <FormError>{enable.error && Object.keys(fields).length === 0 ? errorMessage(enable.error) : null}</FormError>
          <TextField label="Code from the app" name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} errors={fields.code} />
          <PendingButton pending={lock.locked} pendingLabel="Checking…" disabled={!code}>
            Turn on
          </PendingButton>
        </form>
      )}
    </section>
  );
}

function SessionsSection() {
  const toast = useToast();
  const navigate = useNavigate();
  const forget = useForgetSession();
  const sessions = trpc.auth.sessions.useQuery();
  const revoke = trpc.auth.revokeSession.useMutation();
  const logoutAll = trpc.auth.logoutAll.useMutation();
  const lock = useLock();
  const [revoking, setRevoking] = useState<string | null>(null);

  const revokeOne = (sessionId: string) =>
    lock.run(async () => {
      setRevoking(sessionId);
      try {
        await revoke.mutateAsync({ sessionId });
        toast.success('That device is signed out.');
        await sessions.refetch();
      } catch (e) {
        toast.error(errorMessage(e));
      } finally {
        setRevoking(null);
      }
    });

  const everywhere = () =>
    lock.run(async () => {
      try {
        const { revoked } = await logoutAll.mutateAsync();
        forget();
        toast.success(`Signed out of ${revoked === 1 ? '1 session' : `${revoked} sessions`}.`);
        navigate('/login', { replace: true });
      } catch (e) {
        toast.error(errorMessage(e));
      }
    });

  return (
    <section className="card wide" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you’re signed in</h2>
      {sessions.isPending ? (
        <Loading />
      ) : sessions.isError ? (
        <LoadError error={sessions.error} />
      ) : (
        <ul className="session-list">
          {sessions.data.map((s) => (
            <li key={s.id}>
              <div>
                <strong>{describeAgent(s.userAgent)}</strong> {s.current && <span className="badge badge-ok">This device</span>}
                <p className="small muted">
                  {s.ip ?? 'Unknown address'} · signed in {formatDateTime(s.createdAt)}
                  {s.lastUsedAt ? ` · last active ${formatDateTime(s.lastUsedAt)}` : ''}
                </p>
              </div>
              {!s.current && (
                <PendingButton type="button" variant="secondary" className="button-small" pending={revoking === s.id} pendingLabel="Signing out…" disabled={lock.locked} onClick={() => revokeOne(s.id)}>
                  Sign out
                </PendingButton>
              )}
            </li>
          ))}
        </ul>
      )}
      <PendingButton type="button" variant="danger" pending={logoutAll.isPending} pendingLabel="Signing out everywhere…" disabled={lock.locked} onClick={everywhere}>
        Log out everywhere
      </PendingButton>
    </section>
  );
}

function describeAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : null;
  const os = /Windows/.test(userAgent) ? 'Windows' : /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iOS' : /Mac OS X/.test(userAgent) ? 'macOS' : /Linux/.test(userAgent) ? 'Linux' : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? userAgent.slice(0, 60);
}
