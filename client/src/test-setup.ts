import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  sessionStorage.clear();
  document.cookie = 'tessera_session=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
});
