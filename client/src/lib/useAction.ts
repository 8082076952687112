import type { UseMutationResult } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { useToast } from '../components/Toasts';
import { issuesToFieldErrors } from '../../../shared/field-errors';
import { errorMessage, fieldErrorsOf, type FieldErrors } from './errors';
import { useLock } from './useLock';

export interface RunCallbacks<TData> {
  onSuccess?: (data: TData) => void;
  /** The call shows its own failure (a seat conflict beside the map, a scan result): then no toast. */
  onError?: (error: unknown) => void;
  onSettled?: () => void;
}

export interface Action<TInput, TData> {
  /** Sends the mutation, unless this action is still running: a second press does nothing. */
  run(input: TInput, callbacks?: RunCallbacks<TData>): void;
  /** From the press until the call and its cache updates are done: the button's pending state. */
  pending: boolean;
  status: 'idle' | 'pending' | 'success' | 'error';
  data: TData | undefined;
  error: unknown;
  /** For forms: the messages for the fields they name, and the rest for above the fields. */
  fieldErrors: FieldErrors;
  formError: string | null;
  reset(): void;
}

/**
 * The one way the client runs a mutation. Each feature wraps its procedures in `use<Verb><Noun>`
 * hooks (features/<feature>/api.ts) whose mutation callbacks keep the cache right, and says where
 * a failure shows: as a toast ('toast', for buttons) or beside the fields ('form', read from
 * `fieldErrors` and `formError`). A call that shows its failure itself passes `onError`.
 */
export function useAction<TData, TError, TInput>(
  mutation: UseMutationResult<TData, TError, TInput, unknown>,
  options: {
    errors: 'toast' | 'form';
    /** Inputs nobody types (a token from a mailed link): a form shows their errors above its fields. */
    untyped?: ReadonlyArray<keyof TInput & string>;
  },
): Action<TInput, TData> {
  const toast = useToast();
  const lock = useLock();
  const { mutate } = mutation;

  const run = (input: TInput, callbacks: RunCallbacks<TData> = {}) => {
    void lock.run(
      () =>
        new Promise<void>((settled) => {
          mutate(input, {
            onSuccess: (data) => callbacks.onSuccess?.(data),
            onError: (error) => {
              if (callbacks.onError) callbacks.onError(error);
              else if (options.errors === 'toast') toast.error(errorMessage(error));
            },
            onSettled: () => {
              settled();
              callbacks.onSettled?.();
            },
          });
        }),
    );
  };

  const fieldErrors = options.errors === 'form' ? withoutKeys(fieldErrorsOf(mutation.error), options.untyped) : {};
  const formError = options.errors === 'form' && mutation.error && Object.keys(fieldErrors).length === 0 ? errorMessage(mutation.error) : null;
  return {
    run,
    pending: lock.locked,
    status: mutation.status,
    data: mutation.data,
    error: mutation.error,
    fieldErrors,
    formError,
    reset: mutation.reset,
  };
}

function withoutKeys(errors: FieldErrors, keys: readonly string[] = []): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([key]) => !keys.includes(key)));
}

/**
 * A form's action: its values are checked with the procedure's own input schema (from shared/)
 * before anything is sent, so the form shows the server's messages without asking it. While the
 * form's own messages show, the server's last answer does not; the parsed values are what is sent.
 */
export function useFormAction<TData, TError, TInput, TValues>(
  mutation: UseMutationResult<TData, TError, TInput, unknown>,
  schema: z.ZodType<NoInfer<TInput>, TValues>,
): Action<Partial<TValues>, TData> {
  const action = useAction(mutation, { errors: 'form' });
  const [local, setLocal] = useState<ReturnType<typeof issuesToFieldErrors> | null>(null);

  const run = (values: Partial<TValues>, callbacks?: RunCallbacks<TData>) => {
    const checked = schema.safeParse(values);
    if (!checked.success) {
      setLocal(issuesToFieldErrors(checked.error.issues));
      return;
    }
    setLocal(null);
    action.run(checked.data, callbacks);
  };

  return {
    ...action,
    run,
    fieldErrors: local?.fieldErrors ?? action.fieldErrors,
    formError: local ? local.formErrors.join(' ') || null : action.formError,
  };
}
