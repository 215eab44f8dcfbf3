import type { Section } from "./report.js";
import { format, type Summary } from "./stats.js";

/** What bench/scale.ts writes. */
export interface ScaleResult {
  long: {
    turns: number;
    notificationsPerTurn: number;
    seconds: number;
    samples: { turns: number; liveHeapMiB: number; rssMiB: number }[];
  };
  idle: { threads: number; perThreadKiB: number };
  atOnce: { turns: number; threadStartMs: number; turnsMs: number; clientCpuMs: number }[];
  burstThreads: number;
  burst: { shellSnapshot: boolean; ms: Summary }[];
  leftOverProcesses: number[];
}

/**
 * The scale benchmark's tables for docs/benchmarks.md.
 *
 * @example
 * ```ts
 * const markdown = scaleTables(report.sections.scale, stamp);
 * ```
 */
export function scaleTables(section: Section | undefined, stamp: (section: Section) => string): string {
  if (section === undefined) return "_Not run._";
  if (section.error !== undefined) return `_Failed: ${section.error.split("\n")[0]}_`;
  const result = section.result as ScaleResult;
  const row = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  const first = result.long.samples[0];
  const last = result.long.samples.at(-1);
  return [
    stamp(section),
    "",
    `**${format(result.long.turns)} turns on one client** (in-process fake app-server, byte stream, ${result.long.notificationsPerTurn} notifications a turn, ` +
      `\`thread.run()\`, handles dropped) in ${format(result.long.seconds)} s. Live heap after a full collection and RSS:`,
    "",
    row(["Turns", "Live heap (MiB)", "RSS (MiB)"]),
    row(["---:", "---:", "---:"]),
    ...result.long.samples.map((sample) =>
      row([format(sample.turns), format(sample.liveHeapMiB), format(sample.rssMiB)]),
    ),
    "",
    first !== undefined && last !== undefined && last.turns > 0
      ? `Live heap growth from the first sample to the last: ${format(((last.liveHeapMiB - (result.long.samples[1]?.liveHeapMiB ?? first.liveHeapMiB)) * 1024 * 1000) / last.turns)} KiB per 1,000 turns (after the first ${format(result.long.samples[1]?.turns ?? 0)}).`
      : "",
    "",
    `**One idle thread handle** (started, no turn) keeps ${format(result.idle.perThreadKiB)} KiB (measured over ${format(result.idle.threads)}).`,
    "",
    "**Turns at once against the real binary** (one client, N new threads, then one 20-delta turn on each, all at once):",
    "",
    row(["Turns at once", "N thread starts (ms)", "N turns (ms)", "Client CPU (ms)", "Client CPU per turn (ms)"]),
    row(["---:", "---:", "---:", "---:", "---:"]),
    ...result.atOnce.map((entry) =>
      row([
        String(entry.turns),
        format(entry.threadStartMs),
        format(entry.turnsMs),
        format(entry.clientCpuMs),
        format(entry.clientCpuMs / entry.turns),
      ]),
    ),
    "",
    `**Many-threads profile**: ${result.burstThreads} new threads at once, median (min–max):`,
    "",
    row(["`features.shell_snapshot`", "ms"]),
    row(["---", "---:"]),
    ...result.burst.map((entry) =>
      row([
        String(entry.shellSnapshot),
        `${format(entry.ms.median)} (${format(entry.ms.min)}–${format(entry.ms.max)})`,
      ]),
    ),
    "",
    `Codex processes left afterwards: ${result.leftOverProcesses.length}.`,
  ].join("\n");
}
