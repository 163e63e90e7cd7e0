/**
 * A one-line progress bar for long jobs (seeding): done / total, percentage, rate and ETA, redrawn
 * in place on a terminal at most five times a second; on a pipe or file, one line every 5 seconds.
 */

export interface ProgressBar {
  /** Reports `done` of `total` units. */
  update(done: number, total: number): void;
  /** Draws the final state and ends the line. */
  done(): void;
}

export interface ProgressOptions {
  readonly label?: string;
  readonly unit?: string;
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** milliseconds since some origin; injectable for tests (default performance.now) */
  readonly now?: () => number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s % 60).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** The bar as text, e.g. `seed [#####---------------] 250,000/1,000,000 25.0% 48,000/s ETA 0:16`. */
export function renderProgress(
  label: string,
  unit: string,
  done: number,
  total: number,
  seconds: number,
): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const width = 20;
  const filled = Math.round(fraction * width);
  const rate = seconds > 0 ? done / seconds : 0;
  const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  return (
    `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${n(done)}/${n(total)} ${unit}` +
    ` ${(fraction * 100).toFixed(1)}% ${n(rate)}/s ETA ${formatDuration(eta)}`
  );
}

export function progressBar(options: ProgressOptions = {}): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const tty = stream.isTTY === true;
  const started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let last = { done: 0, total: 0 };
  let drawnDone = -1;
  const draw = (final: boolean): void => {
    drawnDone = last.done;
    const text = renderProgress(
      options.label ?? 'progress',
      options.unit ?? '',
      last.done,
      last.total,
      (now() - started) / 1000,
    );
    stream.write(tty ? `\r${text}\x1b[K${final ? '\n' : ''}` : `${text}\n`);
  };
  return {
    update(done, total) {
      last = { done, total };
      const t = now();
      if (t - lastDraw >= (tty ? 200 : 5000)) {
        lastDraw = t;
        draw(false);
      }
    },
    done() {
      // On a pipe the last state may already be printed; on a terminal the line still needs ending.
      if (tty || drawnDone !== last.done) draw(true);
    },
  };
}
