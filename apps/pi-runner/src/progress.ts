// progress.ts — a one-line progress bar on stderr: `label [#####-----] 12/100  34.5/s  eta 3s`. Drawn only
// when stderr is a terminal (so logs and CI output stay clean), redrawn at most 10 times a second.
import type { OutStream } from './io.js';

export interface Progress {
  /** Sets the absolute count done. */
  update(done: number, total?: number): void;
  /** Finishes the line (a newline if anything was drawn). */
  done(): void;
}

const WIDTH = 24;

export function createProgress(
  stream: OutStream,
  label: string,
  total: number,
  now: () => number = () => performance.now(),
): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  const start = now();
  let last = -Infinity;
  let drawn = false;
  let current = 0;
  const draw = () => {
    const t = (now() - start) / 1000;
    const frac = total > 0 ? Math.min(1, current / total) : 1;
    const filled = Math.round(frac * WIDTH);
    const rate = t > 0 ? current / t : 0;
    const eta = rate > 0 ? Math.max(0, (total - current) / rate) : Number.NaN;
    const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
    const tail = `${current}/${total}  ${rate.toFixed(1)}/s${Number.isFinite(eta) ? `  eta ${Math.ceil(eta)}s` : ''}`;
    stream.write(`\r${label} [${bar}] ${tail}\x1b[K`);
    drawn = true;
  };
  return {
    update(done, newTotal) {
      current = done;
      if (newTotal !== undefined) total = newTotal;
      const t = now();
      if (t - last >= 100 || current >= total) {
        last = t;
        draw();
      }
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
