// The customer's React code: <hc-search> in TSX with its typed props (the
// `strings` object is set as a property by React 19), a ref for the typed
// element API and events.
import { StrictMode, useEffect, useRef } from "react";
import { createRoot } from "react-dom/client";
import "@hc-search/widget/react";
import type { HcSearch } from "@hc-search/widget/react";

const proxy = new URLSearchParams(location.search).get("proxy") ?? "http://localhost:8080";

function App() {
  const search = useRef<HcSearch>(null);
  useEffect(() => {
    const el = search.current;
    if (!el) return;
    const onReady = (e: CustomEvent<{ lang: string; articles: number }>) => {
      document.body.dataset.ready = `${e.detail.lang}:${e.detail.articles}`;
    };
    el.addEventListener("hc-ready", onReady);
    return () => el.removeEventListener("hc-ready", onReady);
  }, []);
  return (
    <header>
      <h1>Acme app</h1>
      <hc-search
        ref={search}
        proxy={proxy}
        theme="light"
        help-center-url="https://help.example.com"
        strings={{ launcher: "Need help?" }}
      />
    </header>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
