// Lint gate run by `npm test` with --max-warnings 0. Type-aware typescript-eslint
// because the project's standards (no unawaited promise, no `any`) need types;
// docs/decisions.md says why ESLint and not Biome. Formatting is not linted.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const root = import.meta.dirname;

export default defineConfig(
  {
    // templates/: packages of their own (their tsconfig resolves petroflow/sdk through their node_modules);
    // test/integration/runtime/node-packages builds and tests the node template.
    ignores: ["dist/**", "node_modules/**", "editor/dist/**", "coverage/**", "templates/**"],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  // Plain JavaScript (the CLI shim, the build script): no types to check.
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: { process: "readonly", require: "readonly", console: "readonly", URL: "readonly" },
    },
  },
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // The project's own tsconfigs, in this order: a file is checked with the
        // first one that includes it (server + tests + benches, web app, web
        // unit tests), so lint sees exactly the types `npm run typecheck` sees.
        project: ["./tsconfig.test.json", "./editor/tsconfig.json", "./test/unit/editor/tsconfig.json"],
        tsconfigRootDir: root,
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // `const node = this` is Node-RED's documented idiom for a node's
      // constructor; any other alias of `this` is still refused.
      "@typescript-eslint/no-this-alias": ["error", { allowedNames: ["node"] }],
      // Off: an `async` function without `await` is how fakes and handlers
      // meet a Promise-returning interface, and dropping `async` would turn a
      // rejected promise into a synchronous throw. Unawaited promises are
      // caught by no-floating-promises / no-misused-promises instead.
      "@typescript-eslint/require-await": "off",
      // The server compiles to CommonJS; require() stays where loading must be
      // lazy or may fail: node-opcua with the first OPC UA node, Node-RED's
      // untyped embedding API, serialport's optional native binding.
      "@typescript-eslint/no-require-imports": ["error", { allow: ["^\\./opcua-[a-z-]+-node\\.js$", "^node-red$", "^serialport$"] }],
      // A variable the closure reads before the one assignment (main.ts: the
      // flow service Node-RED's storage asks for once it exists) stays `let`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  // Tests: a forgotten .only silently drops the rest of the suite from CI, and a
  // test skips only through skipWithReason (test/helpers/skip-report.ts), which
  // prints why.
  {
    files: ["test/**/*.ts", "test/**/*.tsx"],
    ignores: ["test/helpers/skip-report.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        ...["describe", "context", "it", "specify"].flatMap((object) => [
          { object, property: "only", message: "A focused test drops every other test from CI." },
          { object, property: "skip", message: "Skip with skipWithReason(this, reason), which prints the reason." },
        ]),
      ],
      "no-restricted-globals": [
        "error",
        ...["xit", "xdescribe", "xcontext", "xspecify"].map((name) => ({ name, message: "Skip with skipWithReason(this, reason), which prints the reason." })),
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.type='ThisExpression'][callee.property.name='skip']", message: "Skip with skipWithReason(this, reason), which prints the reason." },
      ],
    },
  },
  {
    files: ["editor/src/**/*.tsx", "editor/src/**/*.ts"],
    extends: [reactHooks.configs.flat["recommended-latest"]],
  },
);
