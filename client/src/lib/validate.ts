import type { z } from 'zod';

/**
 * Checks form values with the server's own input schema (from shared/), so a form shows the same
 * messages beside its fields before sending as the server would answer after.
 */
export function validate<T extends z.ZodType>(schema: T, values: unknown): { ok: true; data: z.output<T> } | { ok: false; fieldErrors: Record<string, string[]> } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return { ok: false, fieldErrors };
}
