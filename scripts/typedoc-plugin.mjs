// @ts-check
/**
 * A TypeDoc plugin for this project's API reference.
 *
 * - The protocol modules (`codex-app-server/protocol`, `…/protocol/experimental`) keep their method tables and
 *   validators, but not the generated definitions of `src/schema/generated.ts` (and `experimental/generated.ts`)
 *   — one page each would bury the rest. Those the main
 *   module re-exports or re-declares under the same name (`Turn`, `ThreadItem`, `TurnStatus`) stay documented
 *   on the protocol module's pages, which the main module's pages link to.
 * - The modules are named by their import paths (`@module codex-app-server`, …), but their pages stay in the
 *   folders their entry files gave them (`index/`, `schema/`, `testing/`), so links into the reference last.
 */
import { Converter, ReflectionKind } from "typedoc";
import { MemberRouter } from "typedoc-plugin-markdown";

const GENERATED = /[\\/]src[\\/]schema[\\/](?:experimental[\\/])?generated\.ts$/;
const NOTE =
  "\n\nThe generated definitions (a TypeBox schema and a type for each, e.g. `ThreadStartParams`, " +
  "`ThreadItem`) are not listed here: read them in `src/schema/generated.ts` or in the pinned JSON Schema bundle " +
  "under `schema/`; every method table below names its params and result types.";

/** The folder of each module's pages, by module name. */
const MODULE_FOLDERS = new Map([
  ["codex-app-server", "index"],
  ["codex-app-server/protocol", "schema"],
  ["codex-app-server/protocol/experimental", "schema-experimental"],
  ["codex-app-server/testing", "testing"],
]);

/** The member router of typedoc-plugin-markdown, with each module's pages in its folder of {@link MODULE_FOLDERS}. */
class ModuleFolderRouter extends MemberRouter {
  /** @param {import("typedoc").Reflection} reflection */
  getIdealBaseName(reflection) {
    const folder = reflection.kindOf(ReflectionKind.Module) ? MODULE_FOLDERS.get(reflection.name) : undefined;
    return folder === undefined ? super.getIdealBaseName(reflection) : `${folder}/${this.entryFileName}`;
  }
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.renderer.defineRouter("module-folders", ModuleFolderRouter);
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    const modules = project.getChildrenByKind(ReflectionKind.Module);
    const isProtocol = (/** @type {import("typedoc").DeclarationReflection} */ module) => /schema|protocol/.test(module.name);
    // What the other modules re-export, or re-declare as `type X = protocol.X`, stays, as a type and as a
    // schema (they share a name).
    const kept = new Set();
    for (const module of modules.filter((module) => !isProtocol(module))) {
      for (const child of module.children ?? []) {
        if (child.isReference()) kept.add(child.tryGetTargetReflectionDeep()?.name);
        else if (child.kindOf(ReflectionKind.TypeAlias) && child.type?.type === "reference") {
          const target = child.type.reflection;
          if (target?.name === child.name) kept.add(target.name);
        }
      }
    }
    for (const module of modules.filter(isProtocol)) {
      for (const child of [...(module.children ?? [])]) {
        const target = child.isReference() ? child.tryGetTargetReflectionDeep() : child;
        if (target === undefined || kept.has(target.name)) continue;
        const file = project.getSymbolIdFromReflection(target)?.fileName ?? "";
        if (GENERATED.test(file)) project.removeReflection(child);
      }
      module.comment?.summary.push({ kind: "text", text: NOTE });
    }
  });
}
