// Synthetic help centers for the growth benchmark: N public articles in one
// language, in the corpus shape hc-sim serves
// (`{"site", "categories", "articles"}`), derived from the real corpora in
// ../shared/corpus (rust-docs and the Debian Reference).
//
// Why this way: the benchmark must say how bytes, memory and time grow with
// the number of articles, so the synthetic articles must look like the real
// ones to the things being measured: HTML structure and length (each
// article copies the markup of a real one, a "template", drawn at random),
// vocabulary and word frequencies (every text node is replaced by as many
// words drawn from a first-order Markov chain trained on the corpora's
// prose; code in <pre> from a chain trained on their code), and a
// vocabulary that keeps growing with the size of the site as real ones do
// (Heaps' law): 1 % of prose words are "coinages", compounds of two corpus
// words from a pool of 8·N^0.7, drawn with Zipf-like frequency. Copying
// text verbatim instead would make 50k articles compress and index like
// 2.6k. Categories: the corpora's trees, repeated once per ~2,600
// articles (later copies with generated names).
//
// Deterministic: one seeded PRNG (sfc32), corpora read in file order, so
// the same corpora, size, language and seed give byte-identical files (the
// sha256 is printed). Templates longer than 50 KB of HTML (a few reference
// pages of up to 474 KB) are left out: help-center articles are not that
// long.
//
//   node bench/growth/gen.mjs --articles 10000 [--lang en] [--seed 1] [--out FILE]
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const corpusDir = process.env.HC_CORPUS_DIR || resolve(here, "../../../shared/corpus");
const MAX_TEMPLATE = 50_000;

/** sfc32, seeded through splitmix32 so small seeds differ. */
function rng(seed) {
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = mix(), b = mix(), c = mix(), d = mix();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/** A first-order word chain: word → list of following words (with repeats). */
class Chain {
  constructor() {
    this.next = new Map();
    this.starts = [];
  }
  train(words) {
    let prev = null;
    for (const w of words) {
      if (prev === null || /[.!?:]$/.test(prev)) this.starts.push(w);
      if (prev !== null) {
        let list = this.next.get(prev);
        if (!list) this.next.set(prev, (list = []));
        list.push(w);
      }
      prev = w;
    }
  }
  /** `n` words continuing from `state.prev`. */
  words(n, random, state) {
    const out = [];
    for (let i = 0; i < n; i++) {
      const list = state.prev === null ? null : this.next.get(state.prev);
      const w = list && list.length ? list[Math.floor(random() * list.length)]
        : this.starts[Math.floor(random() * this.starts.length)];
      out.push(w);
      state.prev = w;
    }
    return out;
  }
}

const splitWords = (text) => text.split(/\s+/).filter(Boolean);

/** Real articles of `lang` (public, with content), from both corpora. */
function templates(lang) {
  const sources = ["rust-docs.json", "debian-reference.json"];
  const articles = [];
  const categoryTrees = [];
  for (const file of sources) {
    const data = JSON.parse(readFileSync(join(corpusDir, file), "utf8"));
    const cats = data.categories.filter((c) => c.name[lang]);
    if (!cats.length) continue;
    categoryTrees.push(cats);
    for (const a of data.articles) {
      if (!a.published || a.visibility !== "public" || !a.content[lang] || !a.title[lang]) continue;
      if (a.content[lang].length > MAX_TEMPLATE) continue;
      articles.push({ title: a.title[lang], html: a.content[lang], category: `${file}:${a.category_id === -1 ? a.categories[0] : a.category_id}` });
    }
  }
  return { articles, categoryTrees, sources };
}

/** Prose, code and title chains trained on the templates. */
function train(articles) {
  const prose = new Chain();
  const code = new Chain();
  const titles = new Chain();
  for (const a of articles) {
    titles.train(splitWords(a.title));
    let pre = 0;
    const proseWords = [];
    const codeWords = [];
    for (const part of a.html.split(/(<[^>]+>)/)) {
      if (part.startsWith("<")) {
        if (/^<pre[\s>]/i.test(part)) pre++;
        else if (/^<\/pre>/i.test(part)) pre = Math.max(0, pre - 1);
        continue;
      }
      (pre ? codeWords : proseWords).push(...splitWords(part));
    }
    prose.train(proseWords);
    code.train(codeWords);
  }
  return { prose, code, titles };
}

/** A pool of `size` coinages: two corpus words run together, as product and feature names are. */
function coinages(prose, size, random) {
  const vocab = [...prose.next.keys()]
    .map((w) => w.toLowerCase().replace(/[^a-z0-9]/g, ""))
    .filter((w) => w.length >= 3 && w.length <= 10);
  const pool = new Array(size);
  for (let k = 0; k < size; k++) {
    pool[k] = vocab[Math.floor(random() * vocab.length)] + vocab[Math.floor(random() * vocab.length)];
  }
  return pool;
}

/** Rewrites every text node of `html`, keeping its markup and word counts. */
function rewrite(html, chains, random, pool) {
  const proseState = { prev: null };
  const codeState = { prev: null };
  let pre = 0;
  const parts = html.split(/(<[^>]+>)/);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.startsWith("<")) {
      if (/^<pre[\s>]/i.test(part)) pre++;
      else if (/^<\/pre>/i.test(part)) pre = Math.max(0, pre - 1);
      continue;
    }
    if (!part.trim()) continue;
    if (pre) {
      // Code keeps its lines and indentation.
      parts[i] = part.split("\n").map((line) => {
        const n = splitWords(line).length;
        if (!n) return line;
        const indent = line.match(/^\s*/)[0];
        return indent + chains.code.words(n, random, codeState).join(" ");
      }).join("\n");
    } else {
      const n = splitWords(part).length;
      const words = chains.prose.words(n, random, proseState).map((w) =>
        random() < 0.01 ? pool[Math.floor(pool.length ** random()) - 1] : w);
      const lead = part.match(/^\s*/)[0];
      const trail = n ? part.match(/\s*$/)[0] : "";
      parts[i] = lead + words.join(" ") + trail;
    }
  }
  return parts.join("");
}

function title(chains, random, words) {
  const state = { prev: null };
  let t = chains.titles.words(Math.max(1, words), random, state).join(" ")
    .replace(/<[^>]*>/g, "").slice(0, 200).trim();
  if (!t) t = "Untitled";
  return t[0].toUpperCase() + t.slice(1);
}

const slugify = (s) => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
  .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80) || "article";

function date(random, fromYear) {
  const t = Date.UTC(fromYear, 0, 1) + Math.floor(random() * 2 * 365 * 86400) * 1000;
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Writes a synthetic help center of `articles` articles in `lang` to `out`;
 * returns `{ out, sha256, bytes, articles, categories, templates }`.
 */
export function generate({ articles: n, lang = "en", seed = 1, out }) {
  const random = rng(seed * 1_000_003 + n);
  const { articles: tpl, categoryTrees } = templates(lang);
  if (!tpl.length) throw new Error(`no article in ${lang} in the corpora`);
  const chains = train(tpl);
  const pool = coinages(chains.prose, Math.round(8 * n ** 0.7), random);

  // Category trees, copied once per ~2,600 articles.
  const copies = Math.max(1, Math.round(n / tpl.length));
  const categories = [];
  const catId = new Map(); // `${copy}:${file}:${old id}` -> new id
  let nextCat = 1;
  for (let copy = 0; copy < copies; copy++) {
    categoryTrees.forEach((tree, t) => {
      const file = ["rust-docs.json", "debian-reference.json"][t];
      for (const c of tree) catId.set(`${copy}:${file}:${c.id}`, nextCat++);
      for (const c of tree) {
        const name = copy === 0 ? c.name[lang] : title(chains, random, 1 + Math.floor(random() * 3));
        categories.push({
          id: catId.get(`${copy}:${file}:${c.id}`),
          name: { [lang]: name },
          description: {},
          parent: c.parent === null ? null : catId.get(`${copy}:${file}:${c.parent}`) ?? null,
          icon: null,
          position: c.position,
        });
      }
    });
  }

  mkdirSync(dirname(out), { recursive: true });
  const fd = openSync(out, "w");
  const hash = createHash("sha256");
  let bytes = 0;
  const write = (s) => {
    hash.update(s);
    bytes += Buffer.byteLength(s);
    writeSync(fd, s);
  };
  write(`{"site":${JSON.stringify({ default_language: lang, languages: [lang] })},\n"categories":[\n`);
  write(categories.map((c) => JSON.stringify(c)).join(",\n"));
  write("\n],\n\"articles\":[\n");
  for (let i = 0; i < n; i++) {
    const t = tpl[Math.floor(random() * tpl.length)];
    const copy = Math.floor(random() * copies);
    const [file, old] = [t.category.slice(0, t.category.lastIndexOf(":")), t.category.slice(t.category.lastIndexOf(":") + 1)];
    const id = i + 1;
    const heading = title(chains, random, splitWords(t.title).length);
    const created = date(random, 2023);
    const article = {
      id,
      title: { [lang]: heading },
      slug: { [lang]: `${slugify(heading)}-${id}` },
      content: { [lang]: rewrite(t.html, chains, random, pool) },
      published: true,
      visibility: "public",
      category_id: catId.get(`${copy}:${file}:${old}`) ?? null,
      categories: [],
      views: Math.floor(5000 * random() ** 3),
      created_at: created,
      updated_at: created,
    };
    write((i ? ",\n" : "") + JSON.stringify(article));
  }
  write("\n]}\n");
  closeSync(fd);
  return { out, sha256: hash.digest("hex"), bytes, articles: n, categories: categories.length, templates: tpl.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const n = Number(arg("articles"));
  if (!Number.isInteger(n) || n < 1) {
    console.error("usage: node bench/growth/gen.mjs --articles N [--lang en] [--seed 1] [--out FILE]");
    process.exit(2);
  }
  const lang = arg("lang", "en");
  const seed = Number(arg("seed", "1"));
  const out = arg("out", join(here, "data", `${lang}-${n}-s${seed}.json`));
  const r = generate({ articles: n, lang, seed, out });
  console.log(`${r.out}: ${r.articles} articles, ${r.categories} categories, ${r.bytes} B, from ${r.templates} templates, sha256 ${r.sha256}`);
}
