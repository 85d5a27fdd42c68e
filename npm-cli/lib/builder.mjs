// The Rust half (crates/site-builder), compiled to wasm with bindgen's
// `--target web` glue and instantiated here from the file's bytes.
import { readFileSync } from "node:fs";

import * as glue from "./hc_site_builder.js";

let loaded = null;

export async function loadBuilder() {
  if (!loaded) {
    glue.initSync({ module: readFileSync(new URL("./hc_site_builder_bg.wasm", import.meta.url)) });
    loaded = glue;
  }
  return loaded;
}
