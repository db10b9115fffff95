// Test helper: `node tests/js/run.mjs <assets/search dir>` reads {"calls": [[function, args…]…]} on stdin,
// calls the site's ES modules (frenchtext.js, engine.js, places.js) and prints the results as JSON.
// lunr.js comes from node_modules, as in the browser (site/assets/vendor/lunr.min.js).
import { createRequire } from "module";
import { readFileSync } from "fs";
import { pathToFileURL } from "url";
import path from "path";

const dir = path.resolve(process.argv[2]);
const require = createRequire(import.meta.url);
const lunr = require("lunr");
const text = await import(pathToFileURL(path.join(dir, "frenchtext.js")));
const engine = await import(pathToFileURL(path.join(dir, "engine.js")));
const hours = await import(pathToFileURL(path.join(dir, "hours.js")));
text.registerLunr(lunr);

const functions = {
  ...text,
  ...engine,
  communeKeys: (values) => values.map(text.communeKey),
  folds: (values) => values.map(text.fold),
  analyzes: (values) => values.map(text.analyze),
  stems: (values) => values.map(text.stem),
  // Run lunr.js's own tokenizer and the registered pipeline, as lunr.js would on a document.
  lunrPipeline: (values) => {
    const pipeline = lunr.Pipeline.load(text.PIPELINE);
    return values.map((v) => pipeline.run(lunr.tokenizer(v)).map(String));
  },
  // Load a term chunk as lunr.js does on the search page and query it.
  lunrChunk: (header, rows, term, options) => {
    const index = lunr.Index.load(engine.unpackLunr(header, rows));
    return index.query((q) => q.term(term, { usePipeline: false, ...options })).map((hit) => Number(hit.ref)).sort((a, b) => a - b);
  },
  constants: () => [[...text.STOP_WORDS].sort(), text.PLURAL_RULES, text.GENDER_RULES, text.MIN_STEM, text.PIPELINE],
  isOpenAt: (masks, iso) => engine.isOpen(masks, engine.parisTime(new Date(iso))),
  // hours.js: a record's `hours` at each instant (UTC ISO), public holidays given as ISO dates.
  openAtMany: (field, instants, holidays) => {
    const set = holidays ? new Set(holidays) : null;
    return instants.map((iso) => hours.openAt(field, hours.parisNow(new Date(iso)), set));
  },
  parisNows: (instants) => instants.map((iso) => hours.parisNow(new Date(iso))),
};

const { calls } = JSON.parse(readFileSync(0, "utf8"));
const out = calls.map(([name, ...args]) => functions[name](...args));
process.stdout.write(JSON.stringify(out));
