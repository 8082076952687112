import os from 'node:os';

/**
 * bcrypt hashes on libuv's thread pool (4 threads by default). More threads than cores only make
 * sign-in storms fight the event loop for the CPU: every other request then waits. One thread per
 * core keeps bcrypt at the machine's full speed and answers everything else promptly (measured in
 * bench/README.md). libuv reads the size when the pool first starts, so this module is imported
 * first by the entry points; an operator's own UV_THREADPOOL_SIZE wins.
 */
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, os.availableParallelism()));
