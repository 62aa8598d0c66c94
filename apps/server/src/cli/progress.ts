/**
 * A progress bar on stderr for long commands, drawn only when stderr is a terminal (scripts and CI get one
 * line at the end instead).
 */
export function progressBar(label: string): { update(done: number, total: number): void; finish(): void } {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let last = { done: 0, total: 0 };
  return {
    update(done, total) {
      last = { done, total };
      if (!tty) return;
      const width = 30;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      const seconds = (Date.now() - started) / 1000;
      const rate = done / Math.max(seconds, 0.001);
      const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
      process.stderr.write(
        `\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}  ${Math.round(rate)}/s  ~${eta}s left `,
      );
    },
    finish() {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stderr.write(`${tty ? '\r\x1b[2K' : ''}${label}: ${last.done} in ${seconds} s\n`);
    },
  };
}
