// bcrypt in a worker thread of the password pool (passwords.ts). Plain JavaScript: worker threads
// load it without the TypeScript loader, in the server as in tests.
import bcrypt from 'bcrypt';

export function hash({ password, cost }) {
  return bcrypt.hashSync(password, cost);
}

export function compare({ password, hash }) {
  return bcrypt.compareSync(password, hash);
}
