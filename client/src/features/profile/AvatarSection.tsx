import { useEffect, useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { Avatar } from '../../components/Avatar';
import { PendingButton } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import type { User } from '../../lib/session';
import { useUploadAvatar } from './api';

/** The server's limit (AVATAR_MAX_BYTES). */
const MAX_BYTES = 2 * 1024 * 1024;

/** Why a chosen file cannot be uploaded, checked before sending it; null when it may be. */
function refusal(file: File): string | null {
  if (!file.type.startsWith('image/')) return 'Choose an image file (PNG, JPEG or WebP).';
  if (file.size > MAX_BYTES) return 'Choose an image smaller than 2 MB.';
  return null;
}

export function AvatarSection({ user }: { user: User }) {
  const toast = useToast();
  const upload = useUploadAvatar();
  const [file, setFile] = useState<File | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const error = refused ?? upload.formError;

  const preview = useMemo(() => (file ? URL.createObjectURL(file) : null), [file]);
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0] ?? null;
    upload.reset();
    const reason = chosen && refusal(chosen);
    setRefused(reason);
    // A refused file must not leave an earlier choice ready to upload.
    setFile(reason ? null : chosen);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    upload.run(file, {
      onSuccess: () => {
        setFile(null);
        toast.success('Your picture is updated.');
      },
    });
  };

  return (
    <section className="card" aria-labelledby="avatar-title">
      <h2 id="avatar-title">Picture</h2>
      <form onSubmit={submit} className="avatar-form">
        <div className="avatar-preview">
          {preview ? (
            <img src={preview} alt="Preview of your new picture" className="avatar" width={88} height={88} />
          ) : (
            <Avatar name={user.name} url={user.avatarUrl} size={88} />
          )}
        </div>
        <div className="field">
          <label htmlFor="avatar-file">Choose a picture</label>
          <input
            id="avatar-file"
            type="file"
            accept="image/png,image/jpeg,image/webp"
            onChange={choose}
            aria-describedby={error ? 'avatar-error' : undefined}
          />
          {error && (
            <p id="avatar-error" className="field-error">
              {error}
            </p>
          )}
        </div>
        <PendingButton pending={upload.pending} pendingLabel="Uploading…" disabled={!file}>
          Upload picture
        </PendingButton>
      </form>
    </section>
  );
}
