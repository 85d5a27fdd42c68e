/** @jsxImportSource preact */
// Type-checked only (tsc), not built: <hc-search> in Preact TSX.
import "@hc-search/widget/preact";

export const ok = <hc-search proxy="https://proxy.example.com" theme="dark" strings={{ launcher: "Hilfe" }} />;
// @ts-expect-error: not a theme the element knows
export const wrongTheme = <hc-search theme="purple" />;
