/**
 * Validation issues (zod's, or any Standard Schema's) as the API answers them and forms show them:
 * `fieldErrors` by field path ("seats.0.row"), and `formErrors` for issues about the whole input.
 * One convention for the server's error answers and the client's own checks before sending.
 */
export type FieldErrors = {
  fieldErrors: Record<string, string[]>;
  formErrors: string[];
};

interface Issue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

export function issuesToFieldErrors(issues: readonly Issue[]): FieldErrors {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p));
    if (path.length === 0) formErrors.push(issue.message);
    else (fieldErrors[path.join('.')] ??= []).push(issue.message);
  }
  return { fieldErrors, formErrors };
}
