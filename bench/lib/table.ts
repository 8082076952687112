/** One line of the final table. `met` is null where a figure has no target or was not measured. */
export interface Row {
  what: string;
  tessera: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null;
}

export function row(what: string, tessera: string, baseline = '', ratio = '', target = '', met: boolean | null = null): Row {
  return { what, tessera, baseline, ratio, target, met };
}

/** Markdown, so the table can be pasted into bench/README.md as it is. */
export function renderTable(rows: Row[]): string {
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| what | Tessera | baseline | ratio | target |', '|---|---|---|---|---|'];
  for (const r of rows) {
    const verdict = r.met === null ? '' : r.met ? ' — met' : ' — **missed**';
    lines.push(`| ${[r.what, r.tessera, r.baseline, r.ratio, r.target ? `${r.target}${verdict}` : ''].map(escape).join(' | ')} |`);
  }
  return lines.join('\n');
}
