// One-off: list the opening_hours values of opening_hours.js's own test suite (test/test.js, not shipped
// on npm). Usage: node tests/hours_reference/extract_upstream.cjs <path to upstream test/test.js> <commit>
// > tests/hours_reference/upstream_values.json
// The file is run with its library and tools stubbed out: only the values its tests register are kept
// (opening_hours mode 0 = ordinary opening_hours tags), without their expected answers, which
// generate.mjs asks the real library for.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [file, commit] = process.argv.slice(2);
const source = fs.readFileSync(file, "utf8").replace(/process\.exit\(test\.run\(\)[^;]*;/, "globalThis.__test = test;");
const argv = { f: "x", "library-file": "x", l: "en", locale: "en" };
const stubs = {
  "yargs/helpers": { hideBin: (a) => a },
  yargs: () => { const y = { usage: () => y, describe: () => y, alias: () => y, default: () => y, help: () => y, parse: () => argv }; return y; },
  path: require("path"),
  "node:util": { styleText: (_s, t) => t },
  timekeeper: { travel() {}, reset() {}, freeze() {} },
  glob: { sync: () => [] },
  yaml: { parse: () => ({}) },
  fs,
};
const context = { require: (name) => stubs[name] ?? function FakeOpeningHours() {}, process: { argv: [], env: {}, exit() {} }, console };
context.globalThis = context;
vm.runInNewContext(source, context, { filename: file });
const t = context.__test;
const values = new Set();
const add = (value, mode) => {
  if (Array.isArray(value)) value = value[0]; // ignored(value, reason)
  if (typeof value === "string" && !(mode && mode.mode)) values.add(value);
};
for (const row of t.tests) add(row[1], row[9]);
for (const row of t.tests_should_fail) add(row[1], row[3]);
for (const row of t.tests_should_warn) add(row[1], row[3]);
process.stdout.write(JSON.stringify({
  source: `https://github.com/opening-hours/opening_hours.js/blob/${commit}/test/test.js`,
  values: [...values],
}, null, 1) + "\n");
