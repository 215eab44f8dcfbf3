/**
 * What the side-by-side (bench/peers.ts) asks of each client it compares: start an app-server, start threads,
 * run turns to `turn/completed` while telling the driver about each streamed delta, run a burst of turns on
 * new threads at once, close. Each contender lives in `contenders/<name>.ts` and is loaded by the worker
 * (bench/peers/worker.ts) in a fresh Node process, so its import is part of its first start.
 *
 * Erasable TypeScript and `.ts` imports only: the worker runs under plain `node` (no loader), as a user's
 * program would, and imports this library from its built `dist/` through the package name.
 */

/** Where and how the contenders run codex: the same binary, home, provider and folder for all. */
export interface PeersJob {
  /** The native codex binary. */
  readonly codexBin: string;
  /** The environment codex runs with (the offline `CODEX_HOME`, `HOME`, dead proxies, the provider's key). */
  readonly env: Record<string, string>;
  /** The working folder of the app-server and its threads. */
  readonly cwd: string;
  /** Measured warm turns in a row on one thread ("10 sequential turns"). */
  readonly warmTurns: number;
  /**
   * Unmeasured turns before them (default 2). Few: the measured turns still pay for V8 compiling the code
   * (a short script's cost); many (e.g. 200): what a long-running agent pays per turn once everything is compiled.
   */
  readonly warmUpTurns?: number;
  /**
   * After everything else, this many more unmeasured turns, then the warm turns and the long stream measured
   * again ("steady": what a long-running client pays once V8 has compiled its code). 0 or absent: skipped.
   */
  readonly steadyAfter?: number;
  /** Deltas in each normal turn's reply. */
  readonly deltas: number;
  /** Deltas in the one long streamed reply (the deltas/s measure); 0 skips it. */
  readonly streamDeltas: number;
  /** Sizes of the "N threads × 1 turn at once" bursts. */
  readonly bursts: readonly number[];
  /** Stop after the first turn (bench/first-start.ts). */
  readonly firstOnly?: boolean;
  /** Where the library contenders import this library from: a path to a built `dist/index.js`; default the package. */
  readonly library?: string;
}

/** A thread as a contender holds it. */
export type ContenderThread = object;

/**
 * One client under test.
 *
 * @example
 * ```ts
 * const contender = create(job);
 * await contender.start();
 * const thread = await contender.threadStart();
 * await contender.turn(thread, prompt(50), () => deltas++);
 * await contender.close();
 * ```
 */
export interface Contender {
  /** Whether `turn` reports deltas (the codex SDK's `codex exec` events carry none). */
  readonly streamsDeltas: boolean;
  /** Spawns the app-server and completes `initialize` (nothing for a client without a long-lived server). */
  start(): Promise<void>;
  threadStart(): Promise<ContenderThread>;
  /** Runs one turn on `thread` until it completes; `onDelta` is called for each agent message delta read. */
  turn(thread: ContenderThread, text: string, onDelta?: () => void): Promise<void>;
  /** Starts `count` threads and one turn on each, all at once, and waits for every turn to complete. */
  burst(count: number, text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The prompt that makes the shared scripted provider answer with `deltas` deltas (see bench/peers.ts).
 *
 * @example
 * ```ts
 * prompt(50); // "Reply in deltas=50 pieces."
 * ```
 */
export function prompt(deltas: number): string {
  return `Reply in deltas=${deltas} pieces.`;
}

/**
 * The burst every async contender runs: `count` × (thread start, then a turn), concurrently.
 *
 * @example
 * ```ts
 * burst = (count, text) => concurrentBurst(this, count, text);
 * ```
 */
export async function concurrentBurst(contender: Contender, count: number, text: string): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async () => {
      const thread = await contender.threadStart();
      await contender.turn(thread, text);
    }),
  );
}
