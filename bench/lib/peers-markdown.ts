import { PEER_CONTENDERS, PEER_MEASURES, type PeersResult } from "./peers-report.js";
import type { Section } from "./report.js";
import { format, type Summary } from "./stats.js";

function cell(summary: Summary | null | undefined): string {
  if (summary === null || summary === undefined) return "n/a";
  return summary.runs.length > 1
    ? `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`
    : format(summary.median);
}

function ratioCell(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? "n/a" : `${ratio.toFixed(2)}×`;
}

/**
 * The side-by-side's table for docs/benchmarks.md: one row per measure, each contender's median (min–max over
 * the rounds) and its ratio to raw, and issue 17's target for ours ÷ raw.
 *
 * @example
 * ```ts
 * const markdown = peersTable(report.sections.peers);
 * ```
 */
export function peersTable(section: Section | undefined, stamp: (section: Section) => string): string {
  if (section === undefined) return "_Not run._";
  if (section.error !== undefined) return `_Failed: ${section.error.split("\n")[0]}_`;
  const result = section.result as PeersResult;
  const present = PEER_CONTENDERS.filter((contender) =>
    result.contenders.some((entry) => entry.name === contender.name),
  );
  const entries = present.map((contender) => result.contenders.find((entry) => entry.name === contender.name)!);
  const header = [
    "Measure",
    ...present.flatMap((contender, index) => (index === 0 ? [contender.label] : [contender.label, "÷ raw"])),
    "target (ours ÷ raw)",
  ];
  const rows = PEER_MEASURES.filter((measure) => entries.some((entry) => entry.summary[measure.key] != null)).map(
    (measure) => [
      `${measure.label} (${measure.unit})`,
      ...entries.flatMap((entry, index) =>
        index === 0
          ? [cell(entry.summary[measure.key])]
          : [cell(entry.summary[measure.key]), ratioCell(entry.ratio[measure.key])],
      ),
      measure.target === "" ? "" : measure.target,
    ],
  );
  const table = [header, header.map((_, index) => (index === 0 ? "---" : "---:")), ...rows]
    .map((cells) => `| ${cells.join(" | ")} |`)
    .join("\n");
  return [
    stamp(section),
    "",
    `${result.rounds} round(s), contenders interleaved (order rotated each round), each run in a fresh \`node\` process; ` +
      `${result.sizes.warmTurns} warm turns of ${result.sizes.deltas} deltas, a ${format(result.sizes.streamDeltas)}-delta stream, ` +
      `bursts of ${result.sizes.bursts.join(" and ")} new threads × 1 turn; then, after ${result.sizes.steadyAfter} more unmeasured turns, ` +
      `the warm turns and the stream again ("steady": the client's code compiled by V8, as in a long-running agent; ` +
      `the rows above them include that compiling, as a short script pays it). 1-minute load before each round: ${result.loadPerRound.join(", ")}. ` +
      `Median (min–max over rounds); "÷ raw" divides medians. Codex processes left afterwards: ${result.leftOverProcesses.length}.`,
    "",
    table,
  ].join("\n");
}
