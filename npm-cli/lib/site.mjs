// The output folder: the widget's browser files (from the installed
// @hc-search/widget package, as its manifest.json lists them) and the
// built files, written beside the destination and swapped in whole, so a
// failed build leaves the previous one serving and a build never replaces
// a folder that is not its own; the files of the build it replaces stay
// for one more build, for pages loaded before the swap (the rules of
// `hcs build-static`; which files is the site builder's decision,
// hc_publish::generations, made in its wasm).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
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

/**
 * Writes `files` (lists of [name, bytes]) as the folder `out`, with the
 * list of its own files, and keeps the files of the build it replaces
 * that it does not write (`builder`: the site builder's wasm glue).
 * Returns how many were kept.
 */
export function writeSite(out, builder, ...files) {
  const target = resolve(out);
  if (existsSync(target) && !replaceable(target)) {
    throw new Error(`${out} is not empty and is not an earlier build-static output (no ${PACKS_JSON}); refusing to replace it`);
  }
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staged = mkdtempSync(join(parent, ".hc-search-build-static-"));
  let own; // the new build's own files
  try {
    for (const list of files) {
      for (const [name, bytes] of list) writeFileSync(join(staged, name), bytes);
    }
    own = readdirSync(staged);
    writeFileSync(join(staged, builder.filesListName()), builder.filesList(own));
  } catch (e) {
    rmSync(staged, { recursive: true, force: true });
    throw e;
  }
  const kept = existsSync(target) ? keep(builder, target, staged, own) : 0;
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
  return kept;
}

/** Copies the files `old`'s list names that `staged` (whose own files are
 * `own`) lacks; nothing here fails the build (what cannot be read or
 * copied is not kept). */
function keep(builder, old, staged, own) {
  let list;
  try {
    list = readFileSync(join(old, builder.filesListName()), "utf8");
  } catch {
    return 0;
  }
  let kept = 0;
  for (const name of builder.filesToKeep(list, own)) {
    try {
      copyFileSync(join(old, name), join(staged, name));
      kept += 1;
    } catch {
      // gone from the old folder: nothing to keep
    }
  }
  return kept;
}
