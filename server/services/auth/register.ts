import type { RequestMeta } from '../audit/record-event.js';
import { sendVerificationMail } from '../lifecycle/email-verification.js';
import { createUser } from '../users/create-user.js';
import type { AuthDeps } from './auth-deps.js';
import { openSession, type SignedIn } from './sign-in.js';

/**
 * A new customer account, signed in. `requestStaff` makes it a staff account awaiting approval
 * (role STAFF, staffStatus PENDING: customer rights only until an admin approves), the same state
 * `admin.staff.create` produces. A taken address is CONFLICT, as the API requires; the per-address
 * rate limit bounds how fast anyone can probe addresses that way. The new address is mailed a
 * link that confirms it.
 */
export async function register(
  deps: AuthDeps,
  input: { email: string; password: string; name: string; requestStaff?: boolean },
  meta: RequestMeta,
): Promise<SignedIn> {
  const user = await createUser(
    deps,
    {
      email: input.email,
      password: input.password,
      name: input.name,
      role: input.requestStaff ? 'STAFF' : 'CUSTOMER',
      staffStatus: input.requestStaff ? 'PENDING' : 'NONE',
    },
    { type: 'register', meta },
  );
  const session = await openSession(deps, user, meta, { type: 'login', detail: { via: 'register' } });
  // The link that confirms the address goes out after the answer (as the welcome page says); a
  // failed send is logged and can be asked for again (auth.requestEmailVerification).
  deps.background.run('mailing the address confirmation', () => sendVerificationMail(deps, { id: user.id, email: user.email, name: user.name }));
  return session;
}
