import { spawn } from 'node:child_process';

/** `npm run dev`: the API in watch mode and Vite's dev server (proxying /trpc and /api to it). */
const children = [
  spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'server/main-cli.ts'], { stdio: 'inherit' }),
  spawn('npx', ['vite', '--config', 'client/vite.config.ts'], { stdio: 'inherit' }),
];
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) {
  child.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
}
