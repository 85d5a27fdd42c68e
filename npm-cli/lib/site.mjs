// The output folder: the widget's browser files (from the installed
// @hc-search/widget package, as its manifest.json lists them) and the
// built files, written beside the destination and swapped in whole, so a
// failed build leaves the previous one serving and a build never replaces
// a folder that is not its own (the rules of `hcs build-static`).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";

const PACKS_JSON = "packs.json";

/** [name, bytes] of every browser file of the widget package. */
export function widgetFiles() {
  let dir;
  try {
    dir = dirname(createRequire(import.meta.url).resolve("@hc-search/widget/package.json"));
  } catch {
    throw new Error("the @hc-search/widget package is not installed next to hc-search (it is a dependency: reinstall hc-search)");
  }
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const names = [...Object.values(manifest).map((entry) => entry.file), "manifest.json"];
  return names.map((name) => {
    if (basename(name) !== name) throw new Error(`@hc-search/widget's manifest names ${JSON.stringify(name)}, not a file name`);
    return [name, readFileSync(join(dir, name))];
  });
}

function replaceable(out) {
  if (!statSync(out).isDirectory()) return false;
  return existsSync(join(out, PACKS_JSON)) || readdirSync(out).length === 0;
}

/** Writes `files` (lists of [name, bytes]) as the folder `out`. */
export function writeSite(out, ...files) {
  const target = resolve(out);
  if (existsSync(target) && !replaceable(target)) {
    throw new Error(`${out} is not empty and is not an earlier build-static output (no ${PACKS_JSON}); refusing to replace it`);
  }
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staged = mkdtempSync(join(parent, ".hc-search-build-static-"));
  try {
    for (const list of files) {
      for (const [name, bytes] of list) writeFileSync(join(staged, name), bytes);
    }
  } catch (e) {
    rmSync(staged, { recursive: true, force: true });
    throw e;
  }
  const old = existsSync(target) ? `${staged}.old` : null;
  if (old) renameSync(target, old);
  try {
    renameSync(staged, target);
  } catch (e) {
    if (old) renameSync(old, target);
    rmSync(staged, { recursive: true, force: true });
    throw e;
  }
  if (old) rmSync(old, { recursive: true, force: true });
}
