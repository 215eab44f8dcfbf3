import type { Summary } from "./stats.js";

/** The contenders of the side-by-side (bench/peers.ts), in table order; `raw` is the floor the others are divided by. */
export const PEER_CONTENDERS = [
  { name: "raw", label: "raw JSONL client (bench/peers/raw-client.ts)" },
  { name: "async-codex", label: "`AsyncCodex`" },
  { name: "sync-codex", label: "sync `Codex`" },
  { name: "codex-sdk", label: "`@openai/codex-sdk` 0.163.0 (`codex exec` per turn)" },
] as const;

/** What the side-by-side measures, with issue 17's target for ours ÷ raw (`≤` for times and memory, `≥` for rates). */
export const PEER_MEASURES = [
  { key: "firstStartMs", label: "first start (import + spawn + initialize)", unit: "ms", target: "≤ 1.10" },
  { key: "firstTurnMs", label: "fresh process to first turn completed", unit: "ms", target: "" },
  { key: "firstTurnCpuMs", label: "client CPU until first turn completed", unit: "ms", target: "" },
  { key: "peakRssMiB", label: "client peak RSS", unit: "MiB", target: "≤ 1.30" },
  { key: "warmTurnMs", label: "warm turn on an existing thread", unit: "ms", target: "≤ 1.03" },
  { key: "warmFirstDeltaMs", label: "first delta of a warm turn", unit: "ms", target: "≤ 1.03" },
  { key: "sequentialMs", label: "warm turns in a row (10 at full size)", unit: "ms", target: "≤ 1.05" },
  { key: "cpuPerTurnMs", label: "client CPU per warm turn", unit: "ms", target: "" },
  { key: "burst8", label: "8 threads × 1 turn at once", unit: "ms", target: "≤ 1.05" },
  { key: "burst32", label: "32 threads × 1 turn at once", unit: "ms", target: "≤ 1.05" },
  { key: "burst2", label: "2 threads × 1 turn at once (smoke size)", unit: "ms", target: "" },
  { key: "streamDeltasPerSecond", label: "long stream, deltas/s", unit: "deltas/s", target: "≥ 0.90" },
  { key: "steady.warmTurnMs", label: "steady: warm turn (after 200 more)", unit: "ms", target: "≤ 1.03" },
  { key: "steady.warmFirstDeltaMs", label: "steady: first delta of a warm turn", unit: "ms", target: "≤ 1.03" },
  { key: "steady.cpuPerTurnMs", label: "steady: client CPU per warm turn", unit: "ms", target: "" },
  { key: "steady.streamDeltasPerSecond", label: "steady: long stream, deltas/s", unit: "deltas/s", target: "≥ 0.90" },
] as const;

/** The side-by-side's result, as bench/peers.ts writes it. */
export interface PeersResult {
  smoke: boolean;
  rounds: number;
  sizes: { warmTurns: number; deltas: number; streamDeltas: number; bursts: number[]; steadyAfter: number };
  /** The 1-minute load average before each round. */
  loadPerRound: number[];
  contenders: {
    name: string;
    /** Per measure key: median, min, max over the rounds (null where the contender cannot do it). */
    summary: Record<string, Summary | null>;
    /** Per measure key: this contender's median ÷ raw's. */
    ratio: Record<string, number | null>;
  }[];
  leftOverProcesses: number[];
}
