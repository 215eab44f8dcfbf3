// @ts-check
/**
 * A TypeDoc plugin for this project's API reference: the protocol module (`codex-app-server/protocol`) keeps
 * its method tables and validators, but not the 770 generated definitions of `src/schema/generated.ts` — one
 * page each would bury the rest. Those the main module re-exports (`Turn`, `ThreadItem`, `TurnStatus`) stay
 * documented (on the protocol module's pages, which the main module's re-exports link to).
 */
import { Converter, ReflectionKind } from "typedoc";

const GENERATED = /[\\/]src[\\/]schema[\\/]generated\.ts$/;
const NOTE =
  "\n\nThe 770 generated definitions (a TypeBox schema and a type for each, e.g. `ThreadStartParams`, " +
  "`ThreadItem`) are not listed here: read them in `src/schema/generated.ts` or in the pinned JSON Schema bundle " +
  "under `schema/`; every method table below names its params and result types.";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    const modules = project.getChildrenByKind(ReflectionKind.Module);
    const isProtocol = (/** @type {import("typedoc").DeclarationReflection} */ module) => /schema|protocol/.test(module.name);
    // What the other modules re-export stays, as a type and as a schema (they share a name).
    const kept = new Set();
    for (const module of modules.filter((module) => !isProtocol(module))) {
      for (const child of module.children ?? []) {
        if (child.isReference()) kept.add(child.tryGetTargetReflectionDeep()?.name);
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
