// The customer's code: import the package, create the element, use its
// typed API and events. The proxy URL comes from the page's query string so
// the test can point it at the hc-proxy it started.
import { HcSearch } from "@hc-search/widget";

const proxy = new URLSearchParams(location.search).get("proxy") ?? "http://localhost:8080";
const el: HcSearch = document.createElement("hc-search");
el.setAttribute("proxy", proxy);
el.setAttribute("help-center-url", "https://help.example.com");
el.addEventListener("hc-ready", (e) => {
  document.body.dataset.ready = `${e.detail.lang}:${e.detail.articles}`;
});
document.querySelector("#search")!.append(el);
(window as unknown as { hcIsElement: boolean }).hcIsElement = el instanceof HcSearch;
