// Type-checked only (tsc): a typo in a value the element knows fails.
import "@hc-search/widget/react";

// @ts-expect-error: not a value of preload
export const wrongPreload = <hc-search preload="eager" />;
// @ts-expect-error: not a UI string key
export const wrongKey = <hc-search strings={{ launcherr: "x" }} />;
