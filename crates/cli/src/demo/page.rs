//! The demo's product page: a mock SaaS dashboard with the `<hc-search>`
//! launcher in its header, rendered per request because the language links
//! (`?lang=de`) set the element's `lang` attribute server-side (the page's
//! Content-Security-Policy allows no inline script that could do it), and
//! the policy itself, kept in one function so tests and docs use the same
//! string.

/// The page's Content-Security-Policy. `'wasm-unsafe-eval'` lets the widget
/// and its worker compile their wasm, `connect-src` adds the proxy (the
/// worker fetches the snapshot from it), `'unsafe-inline'` styles are for
/// the widget's shadow-root `<style>` elements, and `data:` images for the
/// inline favicon. Nothing else: no inline script, no other origin.
pub fn content_security_policy(proxy_origin: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; \
         connect-src 'self' {proxy_origin}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'none'"
    )
}

/// A `?lang=` value the page accepts: lowercase letters and `-`, at most 10
/// characters (`en`, `pt-br`, `zh-tw`). Anything else is ignored, so no
/// visitor-chosen text reaches the page beyond such a code.
pub fn valid_lang(raw: &str) -> Option<String> {
    let lang = raw.trim().to_ascii_lowercase();
    let ok = !lang.is_empty()
        && lang.len() <= 10
        && lang.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && !lang.starts_with('-')
        && !lang.ends_with('-');
    ok.then_some(lang)
}

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What the page shows that does not change per request.
#[derive(Debug, Clone)]
pub struct PageConfig {
    pub proxy_url: String,
    /// The `help-center-url` attribute ("Open the full article" links).
    pub help_center_url: String,
    /// The site's languages, default first.
    pub languages: Vec<String>,
    /// One line naming the help center served (and its licence).
    pub data_label: String,
}

/// The page for a visitor who chose `lang` (already validated), or none:
/// then the widget negotiates from the browser's languages
/// (`lang-source="browser"`: the page is in English, its visitors are not).
pub fn render(config: &PageConfig, lang: Option<&str>) -> String {
    let lang_attr = lang
        .map(|l| format!(" lang=\"{}\"", escape(l)))
        .unwrap_or_default();
    let mut switcher = String::new();
    let current = |is: bool| if is { " aria-current=\"page\"" } else { "" };
    switcher.push_str(&format!(
        "<li><a href=\"/\"{}>Browser language</a></li>",
        current(lang.is_none())
    ));
    for code in &config.languages {
        switcher.push_str(&format!(
            "<li><a href=\"/?lang={code}\" hreflang=\"{code}\" lang=\"{code}\"{cur}>{name}</a></li>",
            code = escape(code),
            cur = current(lang == Some(code.as_str())),
            name = escape(hc_core::lang::language_name(code)),
        ));
    }
    let widget = format!(
        "<hc-search proxy=\"{proxy}\" help-center-url=\"{hc}\" lang-source=\"browser\"{lang_attr}></hc-search>",
        proxy = escape(&config.proxy_url),
        hc = escape(&config.help_center_url),
    );
    // The page's own text is English, and says so; the widget follows the
    // visitor's browser (lang-source="browser") unless a language link was
    // chosen.
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Cloud · hc-search demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo.css">
<script type="module" src="/hc-search/hc-search.js"></script>
</head>
<body>
<header class="top" lang="en">
  <a class="brand" href="/"><span class="logo" aria-hidden="true">◆</span> Acme Cloud</a>
  <nav aria-label="Main">
    <a href="/" aria-current="page">Overview</a>
    <a href="/">Deployments</a>
    <a href="/">Servers</a>
    <a href="/">Settings</a>
  </nav>
  <div class="search">{widget}</div>
</header>
<div class="layout" lang="en">
  <main>
    <h1>Overview</h1>
    <p class="lead">Stuck? Press <kbd>Ctrl</kbd> <kbd>K</kbd> (or <kbd>/</kbd>) or click <em>Search</em> above: the help center is searched right in this page, in your language, as you type.</p>
    <section class="cards" aria-label="Status">
      <div class="card"><h2>Servers</h2><p class="metric">12</p><p class="muted">all healthy</p></div>
      <div class="card"><h2>Deployments today</h2><p class="metric">38</p><p class="muted">2 rolled back</p></div>
      <div class="card"><h2>Uptime (30 days)</h2><p class="metric">99.98%</p><p class="muted">1 incident</p></div>
    </section>
    <section class="panel">
      <h2>Recent activity</h2>
      <table>
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th></tr></thead>
        <tbody>
          <tr><td>09:41</td><td>SSH key added to <code>web-03</code></td><td>dana</td></tr>
          <tr><td>09:12</td><td>Network interface <code>eth1</code> reconfigured on <code>db-01</code></td><td>sam</td></tr>
          <tr><td>08:57</td><td><code>sudo</code> rights granted to the deploy user</td><td>lee</td></tr>
          <tr><td>Yesterday</td><td>Shell prompt customised for the ops team</td><td>dana</td></tr>
        </tbody>
      </table>
      <p class="muted">Try searching for <q>ssh</q>, <q>sudo</q>, <q>Netzwerk</q>, <q>パスワード</q> or <q>contraseña</q>.</p>
    </section>
  </main>
  <aside>
    <h2>Help center language</h2>
    <ul class="langs">{switcher}</ul>
    <p class="muted">The widget follows this choice; otherwise your browser's languages, then the site's default.</p>
  </aside>
</div>
<footer lang="en"><p>{data_label}</p><p>This page is served by <code>hcs demo</code>; the search box is the <code>&lt;hc-search&gt;</code> element talking to a local hc-proxy.</p></footer>
</body>
</html>
"#,
        data_label = escape(&config.data_label),
    )
}

/// The page's own styles, served as `/demo.css` so that the page itself
/// needs no inline style (the policy allows them only because the widget's
/// shadow root uses `<style>` elements).
pub const CSS: &str = include_str!("demo.css");

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> PageConfig {
        PageConfig {
            proxy_url: "http://127.0.0.1:9/".into(),
            help_center_url: "https://help.example.com".into(),
            languages: vec!["en".into(), "pt-br".into()],
            data_label: "Data <b>".into(),
        }
    }

    #[test]
    fn lang_is_validated() {
        assert_eq!(valid_lang("de").as_deref(), Some("de"));
        assert_eq!(valid_lang("pt-BR").as_deref(), Some("pt-br"));
        assert_eq!(valid_lang("zh-hant-tw").as_deref(), Some("zh-hant-tw"));
        for bad in [
            "",
            "-",
            "de-",
            "\"><script>",
            "de_DE",
            "abcdefghijk",
            "zh-hant-twn",
            "d e",
            "ä",
        ] {
            assert_eq!(valid_lang(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_page_sets_lang_only_when_chosen_and_escapes_everything() {
        let auto = render(&config(), None);
        assert!(auto.contains("<hc-search proxy=\"http://127.0.0.1:9/\" help-center-url=\"https://help.example.com\" lang-source=\"browser\"></hc-search>"));
        assert!(
            auto.contains("<html lang=\"en\">\n"),
            "the page says its language; the widget follows the browser's"
        );
        assert!(auto.contains("Data &lt;b&gt;"));
        assert!(!auto.contains("Data <b>"));
        assert!(auto.contains("href=\"/?lang=pt-br\""));
        assert!(auto.contains("Português (Brasil)"));
        let de = render(&config(), Some("de"));
        assert!(de.contains("lang-source=\"browser\" lang=\"de\"></hc-search>"));
    }

    #[test]
    fn the_policy_names_the_proxy_and_nothing_inline_for_scripts() {
        let csp = content_security_policy("http://127.0.0.1:9");
        assert!(csp.contains("connect-src 'self' http://127.0.0.1:9;"));
        let script = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!script.contains("unsafe-inline"), "{script}");
        assert!(csp.starts_with("default-src 'none';"));
    }
}
