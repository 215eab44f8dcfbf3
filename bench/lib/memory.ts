/**
 * Forces a full garbage collection; the benchmarks run with `--expose-gc`, and say so when they do not.
 *
 * @example
 * ```ts
 * collectGarbage(); // throws unless node was started with --expose-gc
 * ```
 */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run the benchmark with `node --expose-gc` (bench/run.ts does)");
  gc();
  gc();
}

/**
 * `heapUsed` after a full collection, in bytes: what is still reachable.
 *
 * @example
 * ```ts
 * const before = liveHeap();
 * keep.push(new Array(1e5).fill(0));
 * console.log(liveHeap() - before); // ≈ 800 000
 * ```
 */
export function liveHeap(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/**
 * Samples `heapUsed` and RSS every few milliseconds (between macrotasks) and keeps the peaks.
 *
 * @example
 * ```ts
 * const peak = new PeakMemory();
 * await work();
 * console.log(mib(peak.stop().heapUsed));
 * ```
 */
export class PeakMemory {
  heapUsed = 0;
  rss = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(everyMs = 5) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), everyMs);
    this.#timer.unref();
  }

  sample(): void {
    const usage = process.memoryUsage();
    if (usage.heapUsed > this.heapUsed) this.heapUsed = usage.heapUsed;
    if (usage.rss > this.rss) this.rss = usage.rss;
  }

  stop(): { heapUsed: number; rss: number } {
    clearInterval(this.#timer);
    this.sample();
    return { heapUsed: this.heapUsed, rss: this.rss };
  }
}

/**
 * Bytes as mebibytes.
 *
 * @example
 * ```ts
 * mib(3 * 1024 * 1024); // 3
 * ```
 */
export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}
