/**
 * The second half of `npm run build`: after `tsc` has written dist/ (JavaScript and declarations, one file per
 * source file), each runtime entry point of the package — the four `exports` and the sync client's worker —
 * is replaced in place by a bundle of the modules it loads, the code several of them share going into
 * `dist/chunks/`. Dependencies stay imports of their packages (`xstate`, `emittery`, …).
 *
 * Why: Node resolves, reads and links every module separately, ≈ 0.6–1 ms of CPU each; the main entry point
 * loaded 107 modules of this package and cost ≈ 130 ms of CPU to import, the bundle a few and ≈ 65 ms
 * (docs/benchmarks.md, "Hot-path changes"). The declarations are what `tsc` wrote; the `exports` of package.json
 * name the same files as before. The per-file JavaScript `tsc` wrote for the other modules is deleted once it is
 * in the bundles: nothing loads it (the bundles import only `dist/chunks/` and packages, the sync client finds
 * its worker at `dist/sync/worker.js`), and it was half of what the package shipped.
 *
 *   npx tsx scripts/bundle.ts      # after `tsc -p tsconfig.build.json`
 */
import { build } from "esbuild";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist", import.meta.url));

/** What users import (package.json `exports`) and the module the sync client starts its worker thread from. */
export const ENTRY_POINTS = [
  "index",
  "schema/index",
  "schema/experimental/index",
  "testing/index",
  "inspector/index",
  "sync/worker",
] as const;

for (const entry of ENTRY_POINTS) {
  if (!existsSync(join(dist, `${entry}.js`)))
    throw new Error(`dist/${entry}.js is missing: run \`tsc -p tsconfig.build.json\` first (npm run build does).`);
}

rmSync(join(dist, "chunks"), { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: ENTRY_POINTS.map((entry) => join(dist, `${entry}.js`)),
  outdir: dist,
  outbase: dist,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  packages: "external",
  chunkNames: "chunks/[name]-[hash]",
  // Class and function names stay as written (errors and machines are named by them).
  keepNames: true,
  // Every module's top level runs as it did unbundled, whatever package.json's `sideEffects` says.
  ignoreAnnotations: true,
  logLevel: "warning",
  metafile: true,
});

// What esbuild wrote (the entry points and chunks) stays; the rest of the JavaScript is inside it.
const written = new Set(Object.keys(metafile.outputs).map((output) => resolve(output)));
for (const file of readdirSync(dist, { recursive: true, encoding: "utf8" })) {
  const path = join(dist, file);
  if (path.endsWith(".js") && !written.has(path)) rmSync(path);
}
