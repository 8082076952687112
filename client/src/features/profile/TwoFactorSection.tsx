import { useState, type FormEvent } from 'react';
import { FormError, PasswordField, PendingButton, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import type { User } from '../../lib/session';
import { useDisableMfa, useEnableMfa, useSetupMfa } from './api';
import { RecoveryCodes } from './RecoveryCodes';

/** Two-step verification: set up (scan, confirm a code), then its recovery codes once; or turn it off. */
export function TwoFactorSection({ user }: { user: User }) {
  // Here, not in SetUp: the answer (the recovery codes) must outlive the form that asked for it.
  const enable = useEnableMfa();
  if (enable.data) return <RecoveryCodes codes={enable.data.recoveryCodes} onDone={() => enable.reset()} />;
  return (
    <section className="card" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-step verification</h2>
      {user.mfaEnabled ? <TurnOff /> : <SetUp enable={enable} />}
    </section>
  );
}

function SetUp({ enable }: { enable: ReturnType<typeof useEnableMfa> }) {
  const setup = useSetupMfa();
  const [code, setCode] = useState('');

  if (!setup.data) {
    return (
      <>
        <p className="muted">Protect your tickets with a code from an authenticator app each time you sign in.</p>
        <PendingButton type="button" variant="secondary" pending={setup.pending} pendingLabel="Preparing…" onClick={() => setup.run(undefined)}>
          Set up two-step verification
        </PendingButton>
      </>
    );
  }

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    enable.run({ code: code.trim() });
  };

  return (
    <form onSubmit={confirm} noValidate>
      <p>Scan this code with your authenticator app, then enter the 6-digit code it shows.</p>
      <img src={setup.data.qrCodeDataUrl} alt="QR code to add Tessera to your authenticator app" width={180} height={180} className="mfa-qr" />
      <p className="small muted">
        Can’t scan? Enter this key: <code className="secret">{setup.data.secret}</code>
      </p>
      <FormError>{enable.formError}</FormError>
      <TextField
        label="Code from the app"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        errors={enable.fieldErrors.code}
      />
      <PendingButton pending={enable.pending} pendingLabel="Checking…" disabled={!code}>
        Turn on
      </PendingButton>
    </form>
  );
}

function TurnOff() {
  const toast = useToast();
  const disable = useDisableMfa();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    disable.run(
      { password, code: code.trim() },
      {
        onSuccess: () => {
          setPassword('');
          setCode('');
          toast.success('Two-step verification is off.');
        },
      },
    );
  };

  const fields = disable.fieldErrors;
  return (
    <>
      <p>
        <span className="badge badge-ok">On</span> Signing in asks for a code from your authenticator app.
      </p>
      <form onSubmit={submit} noValidate>
        <FormError>{disable.formError}</FormError>
        <PasswordField value={password} onChange={(e) => setPassword(e.target.value)} errors={fields.password} />
        <TextField
          label="Authentication code"
          name="code"
          autoComplete="one-time-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          errors={fields.code}
        />
        <PendingButton variant="danger" pending={disable.pending} pendingLabel="Turning off…" disabled={!password || !code}>
          Turn off two-step verification
        </PendingButton>
      </form>
    </>
  );
}
