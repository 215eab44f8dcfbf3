import type { MachineInfo } from "./machine.js";
import type { Summary } from "./stats.js";

/** The benchmarks bench/run.ts knows, by the key of their section in bench/report.json. */
export const BENCHMARKS = [
  { key: "importCost", file: "import-cost.ts", title: "Import cost", needsBuild: true },
  { key: "hotPath", file: "hot-path.ts", title: "Hot path", needsBuild: false },
  { key: "costSplit", file: "cost-split.ts", title: "Cost split", needsBuild: false },
  { key: "concurrentTurns", file: "concurrent-turns.ts", title: "Concurrent turns", needsBuild: false },
  { key: "realBinary", file: "real-binary.ts", title: "Real binary", needsBuild: false },
  { key: "syncBridge", file: "sync-bridge.ts", title: "Sync bridge", needsBuild: false },
  { key: "peers", file: "peers.ts", title: "Side by side", needsBuild: true },
  { key: "scale", file: "scale.ts", title: "Scale", needsBuild: false },
  { key: "prewarm", file: "prewarm.ts", title: "Prewarm", needsBuild: false },
] as const;

export type BenchmarkKey = (typeof BENCHMARKS)[number]["key"];

/** One benchmark's outcome in the report: its result (as the script wrote it) or why it failed. */
export interface Section {
  readonly measuredAt: string;
  /** The 1-minute load average when it started (other work on the machine slows the benchmarks). */
  readonly loadAtStart: number;
  readonly seconds: number;
  readonly quick: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

/** bench/report.json. */
export interface Report {
  readonly machine: MachineInfo;
  readonly build: { readonly seconds: number; readonly ok: boolean; readonly error?: string } | null;
  /** The load averages (1, 5, 15 min) when the run ended. */
  readonly loadAtEnd: readonly number[];
  readonly totalSeconds: number;
  readonly sections: Partial<Record<BenchmarkKey, Section>>;
}

/** The result shapes the benchmark scripts write (kept loose: the report renders what is there). */
export interface HotPathResult {
  notificationsPerRun: number;
  repeats: number;
  turn: { notifications: number; bytes: number };
  cases: {
    wire: string;
    consumer: string;
    notifications: number;
    turns: number;
    keptHandleKiB: number;
    summary: Record<
      | "notificationsPerSecond"
      | "megabytesPerSecond"
      | "microsecondsPerNotification"
      | "heapGrowthPer100kMiB"
      | "peakHeapAboveBaselineMiB",
      Summary
    >;
  }[];
}

export interface CostSplitResult {
  notificationsPerSample: number;
  repeats: number;
  notificationsPerTurn: number;
  routedPerTurn: number;
  bytesPerNotification: number;
  firstValidation: { methods: number; milliseconds: number };
  stages: {
    name: string;
    what: string;
    nanoseconds: Summary;
    per: "notification" | "turn" | "delta";
    megabytesPerSecond?: number;
  }[];
}

export interface ConcurrentResult {
  notificationsPerRun: number;
  repeats: number;
  unclaimed?: { turns: number; heldPerTurnKiB: number };
  cases: {
    turnsAtOnce: number;
    rounds: number;
    notifications: number;
    liveHeapPerRunningTurnKiB: number;
    summary: Record<
      | "notificationsPerSecond"
      | "megabytesPerSecond"
      | "microsecondsPerNotification"
      | "peakHeapAboveBaselineMiB"
      | "heapGrowthPer100kMiB",
      Summary
    >;
  }[];
}

export interface RealBinaryResult {
  runs: number;
  deltas: number;
  serverVersion: string;
  labels: Record<string, string>;
  summary: Record<string, Summary>;
  leftOverProcesses: number[];
  guardedChildren: number;
}

export interface ImportCostResult {
  runs: number;
  cases: {
    specifier: string;
    modules: Record<string, number>;
    summary: Record<"milliseconds" | "heapUsedMiB" | "rssMiB", Summary>;
  }[];
}

export interface SyncBridgeResult {
  serverVersion: string;
  rounds: number;
  /** Per request: medians per round (ms) through each client, and their difference, the bridge's cost. */
  cases: {
    request: string;
    label: string;
    callsPerRound: number;
    /** Bytes of the answer's JSON. */
    answerBytes: number;
    async: Summary;
    sync: Summary;
    bridge: Summary;
    /** 95th percentile over every call of every round (ms). */
    asyncP95: number;
    syncP95: number;
  }[];
  startup: {
    runs: number;
    firstAsyncStartMs: number;
    /** The process's first `new Codex()`, which also starts the sync clients' worker thread. */
    firstSyncConstructMs: number;
    labels: Record<string, string>;
    summary: Record<string, Summary>;
  };
  leftOverProcesses: number[];
}
