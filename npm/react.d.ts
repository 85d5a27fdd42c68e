// JSX typings of <hc-search> for React (17–19, `jsx: "react-jsx"`).
// `import "@hc-search/widget/react"` defines the element (in a browser) and
// brings these types; it is the same module as the package's main entry.
import type { DetailedHTMLProps, HTMLAttributes } from "react";
import type { HcSearch, HcSearchAttributes, HcStrings } from "./index.js";

export * from "./index.js";

/** The element's props in React: its attributes, plus `strings` as an object (React 19 sets it as a property). */
export type HcSearchReactProps = Omit<DetailedHTMLProps<HTMLAttributes<HcSearch>, HcSearch>, keyof HcSearchAttributes> &
  Omit<HcSearchAttributes, "strings"> & { strings?: string | HcStrings; lang?: string; placeholder?: string };

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "hc-search": HcSearchReactProps;
    }
  }
}
