import { useState } from 'react';
import type { z } from 'zod';
import { errorMessage, fieldErrorsOf } from './errors';
import { useLock } from './useLock';
import { validate } from './validate';

/**
 * A form that checks its values with the server's input schema before sending, under one lock:
 * `submit(schema, values, send)` shows the schema's messages beside the fields and stops, or runs
 * `send` with the parsed values (a second press while it runs does nothing). A failure of `send` is
 * not thrown: `mutation.error` is shown, beside the fields it names (`fieldErrors`) or above them
 * (`formError`). While the form's own messages are shown, the server's last answer is not.
 */
export function useFormSubmit(mutation: { error: unknown }) {
  const lock = useLock();
  const [localErrors, setLocalErrors] = useState<Record<string, string[]> | null>(null);

  const submit = <T extends z.ZodType>(schema: T, values: unknown, send: (data: z.output<T>) => Promise<unknown>) => {
    const checked = validate(schema, values);
    if (!checked.ok) {
      setLocalErrors(checked.fieldErrors);
      return;
    }
    setLocalErrors(null);
    void lock.run(async () => {
      try {
        await send(checked.data);
      } catch {
        // Shown beside the fields.
      }
    });
  };

  const fieldErrors = localErrors ?? fieldErrorsOf(mutation.error);
  const formError = mutation.error && !localErrors && Object.keys(fieldErrors).length === 0 ? errorMessage(mutation.error) : null;
  return { submit, fieldErrors, formError, pending: lock.locked, lock };
}
