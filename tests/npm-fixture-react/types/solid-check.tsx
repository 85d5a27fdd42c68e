/** @jsxImportSource @solidjs/web */
// Type-checked only (tsc), not built: <hc-search> in Solid TSX.
import "@hc-search/widget/solid";

export const ok = () => <hc-search proxy="https://proxy.example.com" mode="inline" prop:strings={{ launcher: "Aide" }} />;
// @ts-expect-error: not a mode the element knows
export const wrongMode = () => <hc-search mode="sideways" />;
