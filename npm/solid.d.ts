// JSX typings of <hc-search> for Solid (Solid 2, `jsxImportSource: "@solidjs/web"`).
// `import "@hc-search/widget/solid"` defines the element (in a browser) and
// brings these types; it is the same module as the package's main entry.
// In Solid, `prop:strings={{…}}` sets the property, `strings="…"` the attribute.
import type { JSX } from "@solidjs/web";
import type { HcSearch, HcSearchAttributes, HcStrings } from "./index.js";

export * from "./index.js";

/** The element's props in Solid: its attributes, plus `prop:strings` as an object. */
export type HcSearchSolidProps = Omit<JSX.HTMLAttributes<HcSearch>, keyof HcSearchAttributes> &
  HcSearchAttributes & { "prop:strings"?: HcStrings; lang?: string; placeholder?: string };

declare module "@solidjs/web" {
  namespace JSX {
    interface IntrinsicElements {
      "hc-search": HcSearchSolidProps;
    }
  }
}
