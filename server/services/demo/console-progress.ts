/**
 * A log function for seeding: ordinary lines are printed; `sameLine` progress lines overwrite each
 * other on a terminal and are printed one per line elsewhere (CI logs, pipes).
 */
export function consoleProgress(stream: NodeJS.WriteStream = process.stdout) {
  let open = false;
  return (line: string, sameLine = false) => {
    if (sameLine && stream.isTTY) {
      stream.write(`\r\x1b[K${line}`);
      open = true;
      return;
    }
    if (open) stream.write('\n');
    open = false;
    stream.write(`${line}\n`);
  };
}
