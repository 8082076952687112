/**
 * Preloaded into the server child (`node --import ./bench/lib/exit-with-parent.ts`): when the bench
 * process dies without stopping it (SIGKILL, or tsx killing it on a signal while its event loop is
 * busy), the server is reparented, notices within half a second and stops itself as on SIGTERM.
 */
const parentPid = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === parentPid) return;
  clearInterval(watch);
  process.kill(process.pid, 'SIGTERM');
}, 500);
watch.unref();

export {};
