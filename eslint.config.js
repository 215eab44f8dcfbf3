// Lint: typescript-eslint's type-checked strict rules (strictTypeChecked) over src/, test/, scripts/, bench/
// and examples/ (`npm run lint`, in CI). Generated code (src/schema/generated*.ts) is left out: the generator
// writes it, not a person.
// The few options below are this tree's conventions, each with its reason; everything else is the preset.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "docs/",
      "node_modules/",
      "src/schema/**/generated*.ts",
      "scripts/typedoc-plugin.mjs",
      "eslint.config.js",
    ],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it/test return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["describe", "it", "test", "suite"] },
          ],
        },
      ],
      // Messages name counts, sizes and flags: numbers and booleans read well in a template.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      // `() => void promise` and `(x) => list.push(x)` as callbacks are this tree's idiom.
      "@typescript-eslint/no-confusing-void-expression": [
        "error",
        { ignoreArrowShorthand: true, ignoreVoidOperator: true },
      ],
      // `!` marks an invariant the types cannot see (an index checked just before, under noUncheckedIndexedAccess;
      // a field set in the constructor by a helper); a runtime check there would be a branch that never runs.
      "@typescript-eslint/no-non-null-assertion": "off",
      // An AbortSignal's reason is `any` and is passed on as is (what fetch and AbortSignal.timeout() do).
      "@typescript-eslint/prefer-promise-reject-errors": [
        "error",
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      "@typescript-eslint/only-throw-error": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
      // `async` on a function that returns a Promise by contract (a Transport's close(), an operation table)
      // turns a synchronous throw into a rejection; it needs no `await` for that.
      "@typescript-eslint/require-await": "off",
      // Listener and handler types say a callback may return `void | Promise<void>`.
      "@typescript-eslint/no-invalid-void-type": "off",
      // A leading `_` names what is there on purpose and unused: a key left out of a rest (`{ title: _title,
      // ...rest }`), a loop variable (`for await (const _ of stream)`), a parameter a signature requires.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Plain JavaScript fixtures (fake app-servers run as child processes): no types to check them with;
    // they run on Node, whose globals they use.
    files: ["**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { process: "readonly", setTimeout: "readonly", setInterval: "readonly", console: "readonly" },
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // A suite's clients and servers are declared `let codex: AsyncCodex` and assigned in before(); after()
      // closes them with `codex?.close()` because before() may have thrown first, leaving them undefined at
      // run time, which the types cannot see. Its other findings in tests were assertions written so the
      // compiler narrows a union (`x.type === "restarted" && x.attempt`) after an assert already narrowed it.
      "@typescript-eslint/no-unnecessary-condition": "off",
    },
  },
);
