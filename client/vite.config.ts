import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const clientDir = import.meta.dirname;
// The API (npm run dev) listens here; the dev server forwards to it so the app stays same-origin.
const api = 'http://127.0.0.1:3000';

export default defineConfig({
  root: clientDir,
  plugins: [react()],
  build: {
    outDir: path.join(clientDir, 'dist'),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/trpc': api,
      '/api': api,
      '/healthz': api,
    },
  },
});
