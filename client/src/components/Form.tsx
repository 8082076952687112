import { useId, type Ref, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  errors?: string[] | undefined;
  hint?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled input with its errors announced and linked by aria-describedby. */
export function TextField({ label, errors, hint, className, ...input }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const invalid = !!errors && errors.length > 0;
  const describedBy = [invalid ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={invalid || undefined} aria-describedby={describedBy} {...input} />
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {invalid && (
        <p id={errorId} className="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

type PresetFieldProps = Omit<FieldProps, 'label'> & { label?: string };

/** The account's email address: label "Email", and the browser may fill it in. */
export function EmailField(props: PresetFieldProps) {
  return <TextField label="Email" name="email" type="email" autoComplete="email" {...props} />;
}

/** A password the person already has (the browser may fill it in). */
export function PasswordField(props: PresetFieldProps) {
  return <TextField label="Password" name="password" type="password" autoComplete="current-password" {...props} />;
}

/** A password being chosen, with the server's rules as its hint. */
export function NewPasswordField(props: PresetFieldProps) {
  return <PasswordField autoComplete="new-password" hint="At least 8 characters. Common passwords are refused." {...props} />;
}

interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: string;
  errors?: string[] | undefined;
  children: ReactNode;
}

export function SelectField({ label, errors, children, className, ...select }: SelectProps) {
  const id = useId();
  const invalid = !!errors && errors.length > 0;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={invalid || undefined} aria-describedby={invalid ? `${id}-error` : undefined} {...select}>
        {children}
      </select>
      {invalid && (
        <p id={`${id}-error`} className="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

interface PendingButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  pending: boolean;
  pendingLabel: string;
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
}

/** A mutation's button: while the call runs it says so and cannot be pressed again. */
export function PendingButton({ pending, pendingLabel, variant = 'primary', children, disabled, className, ...rest }: PendingButtonProps) {
  return (
    <button
      type="submit"
      {...rest}
      className={`button button-${variant} ${className ?? ''}`}
      disabled={pending || disabled}
      aria-busy={pending || undefined}
    >
      {pending ? (
        <>
          <span className="spinner" aria-hidden="true" />
          {pendingLabel}
        </>
      ) : (
        children
      )}
    </button>
  );
}

/** A message for the whole form (the server's answer when it names no field). */
export function FormError({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div role="alert" className="form-error">
      {children}
    </div>
  );
}

interface SaveButtonProps extends Omit<PendingButtonProps, 'pendingLabel'> {
  /** Edits not saved yet: without them there is nothing to save and the button says so. */
  dirty: boolean;
  /** The last save succeeded and nothing changed since. */
  saved: boolean;
  pendingLabel?: string;
  savedLabel?: string;
}

/** A form's save button that reflects what just happened: "Save changes" -> "Saving…" -> "Saved". */
export function SaveButton({ dirty, saved, pendingLabel = 'Saving…', savedLabel = 'Saved', children, disabled, ...rest }: SaveButtonProps) {
  return (
    <PendingButton pendingLabel={pendingLabel} disabled={disabled || !dirty} {...rest}>
      {!dirty && saved ? (
        <>
          <span aria-hidden="true">✓ </span>
          {savedLabel}
        </>
      ) : (
        children
      )}
    </PendingButton>
  );
}
