// JSX typings of <hc-search> for Preact (`jsxImportSource: "preact"`).
// `import "@hc-search/widget/preact"` defines the element (in a browser) and
// brings these types; it is the same module as the package's main entry.
import type { JSX } from "preact";
import type { HcSearch, HcSearchAttributes, HcStrings } from "./index.js";

export * from "./index.js";

/** The element's props in Preact: its attributes, plus `strings` as an object (Preact sets it as a property). */
export type HcSearchPreactProps = Omit<JSX.HTMLAttributes<HcSearch>, keyof HcSearchAttributes> &
  Omit<HcSearchAttributes, "strings"> & { strings?: string | HcStrings; lang?: string; placeholder?: string };

declare module "preact" {
  namespace JSX {
    interface IntrinsicElements {
      "hc-search": HcSearchPreactProps;
    }
  }
}
