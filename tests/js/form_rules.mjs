// Test helper: `node tests/js/form_rules.mjs <assets/inscription dir>` reads
// {"cases": [[rule, value, label, limits]…], "ranges": […], "folds": […]} on stdin and prints
// {"verdicts": [checkValue(…)…], "folds": [fold(…)…]} with the form's own modules and libphonenumber-js
// (the same "max" metadata the site ships as assets/vendor/libphonenumber-max.js).
import { createRequire } from "module";
import { readFileSync } from "fs";
import { pathToFileURL } from "url";
import path from "path";

const dir = path.resolve(process.argv[2]);
const require = createRequire(import.meta.url);
globalThis.libphonenumber = require("libphonenumber-js/max");
const rules = await import(pathToFileURL(path.join(dir, "rules.js")));
const text = await import(pathToFileURL(path.join(dir, "text.js")));

const input = JSON.parse(readFileSync(0, "utf8"));
const verdicts = input.cases.map(([rule, value, label, limits]) => rules.checkValue(rule, value, label, limits, input.ranges));
const folds = (input.folds || []).map((v) => text.fold(v));
process.stdout.write(JSON.stringify({ verdicts, folds }));
