/** The part of a stream the progress bar needs (a TTY WriteStream in real use). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressBarOptions {
  stream: ProgressStream;
  now?: () => number;
  /** Redraws at most this often, so a fast job does not flood the terminal. */
  intervalMs?: number;
}

/**
 * `[██████░░░░░░] 3,000/5,000  60%  1,234 img/s  ETA 2s` on one line of
 * stderr, redrawn in place. The caller decides whether to show it at all.
 */
export class ProgressBar {
  readonly #stream: ProgressStream;
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #startedAt: number;
  #lastDrawAt = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(options: ProgressBarOptions) {
    this.#stream = options.stream;
    this.#now = options.now ?? Date.now;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#startedAt = this.#now();
  }

  update(done: number, total: number): void {
    const now = this.#now();
    if (done < total && now - this.#lastDrawAt < this.#intervalMs) return;
    this.#lastDrawAt = now;
    this.#stream.write(`\r${renderProgressLine(done, total, now - this.#startedAt, this.#stream.columns ?? 80)}\u001b[K`);
    this.#drawn = true;
  }

  /** Clears the line, so what follows starts on a clean one. */
  finish(): void {
    if (this.#drawn) this.#stream.write('\r\u001b[K');
    this.#drawn = false;
  }
}

export function renderProgressLine(done: number, total: number, elapsedMs: number, columns: number): string {
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const remaining = total - done;
  const eta = done === 0 || rate === 0 ? '?' : formatDuration((remaining / rate) * 1000);
  const counts = `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
  const text = `${counts}  ${String(Math.floor(fraction * 100)).padStart(3)}%  ${Math.round(rate).toLocaleString('en-US')} img/s  ETA ${eta}`;
  const barWidth = Math.max(10, Math.min(40, columns - text.length - 4));
  const filled = Math.round(fraction * barWidth);
  return `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}] ${text}`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
