//! Configuration: command-line flags, `HC_PROXY_*` environment variables and
//! an optional TOML file, merged in that order of precedence into one
//! validated [`Settings`]. The API key is deliberately not a setting here:
//! it comes from `HC_API_KEY` or a key file (see [`load_key`]), never from a
//! flag, because flags are visible to every user of the machine (`ps`).

use hc_core::page_rules::PageRule;
use hc_core::synonyms::Synonyms;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use hc_client::{ApiKey, DEFAULT_API_URL};
use hc_core::LangCode;
use serde::Deserialize;

use crate::error::ConfigError;

/// Flags (each also readable from the environment).
#[derive(Debug, Default, Clone, Parser)]
#[command(
    name = "hc-proxy",
    version,
    about = "Serves the public content of a HelpCenter.io site; holds the read-only key."
)]
pub struct Args {
    /// TOML file with any of the settings below (flags and env win over it).
    #[arg(long, env = "HC_PROXY_CONFIG")]
    pub config: Option<PathBuf>,
    /// API base URL (`https://api.helpcenter.io/v1`; a host alone means its
    /// `/v1`). `--api` as in `hcs`; `--upstream` is the same flag.
    #[arg(
        long,
        visible_alias = "upstream",
        value_name = "URL",
        env = "HC_PROXY_UPSTREAM"
    )]
    pub api: Option<String>,
    /// File holding the API key (else `HC_API_KEY`). Never pass the key itself as a flag.
    #[arg(long, env = "HC_PROXY_KEY_FILE")]
    pub key_file: Option<PathBuf>,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "HC_PROXY_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// An origin allowed by CORS (repeatable; `*` allows any origin).
    #[arg(
        long = "allow-origin",
        env = "HC_PROXY_ALLOW_ORIGIN",
        value_delimiter = ','
    )]
    pub allow_origins: Vec<String>,
    /// Public address of the help center; relative links in articles are made absolute against it.
    #[arg(long, env = "HC_PROXY_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The site's languages (repeatable); default: every language found in the content.
    #[arg(long = "language", env = "HC_PROXY_LANGUAGES", value_delimiter = ',')]
    pub languages: Vec<String>,
    /// The site's default language; default `en` when present, else the first language.
    #[arg(long, env = "HC_PROXY_DEFAULT_LANGUAGE")]
    pub default_language: Option<String>,
    /// Synonyms applied at query time (repeatable): a JSON file for every
    /// language, or `LANG=FILE.csv` for one language (one group per line:
    /// `invoice, bill, receipt`). Read at start.
    #[arg(long = "synonyms", env = "HC_PROXY_SYNONYMS", value_delimiter = ',')]
    pub synonyms: Vec<String>,
    /// Suggestions by page path: a JSON rules file
    /// (`{"rules": [{"path": "/billing/*", "ids": [12]}]}`). Read at start.
    #[arg(long, env = "HC_PROXY_SUGGESTIONS")]
    pub suggestions: Option<PathBuf>,
    /// Seconds a fetched copy is fresh (also the `max-age` sent to browsers and CDNs).
    #[arg(long, env = "HC_PROXY_FRESH_SECS")]
    pub fresh_secs: Option<u64>,
    /// `stale-while-revalidate` seconds sent to caches.
    #[arg(long, env = "HC_PROXY_STALE_WHILE_REVALIDATE_SECS")]
    pub stale_while_revalidate_secs: Option<u64>,
    /// `stale-if-error` seconds sent to caches.
    #[arg(long, env = "HC_PROXY_STALE_IF_ERROR_SECS")]
    pub stale_if_error_secs: Option<u64>,
    /// Seconds to wait after a failed refresh before trying the upstream again.
    #[arg(long, env = "HC_PROXY_RETRY_FAILED_SECS")]
    pub retry_failed_secs: Option<u64>,
    /// Seconds a visitor waits on a cold cache before getting a 503.
    #[arg(long, env = "HC_PROXY_COLD_WAIT_SECS")]
    pub cold_wait_secs: Option<u64>,
    /// Timeout of one upstream request, in seconds.
    #[arg(long, env = "HC_PROXY_UPSTREAM_TIMEOUT_SECS")]
    pub upstream_timeout_secs: Option<u64>,
    /// API requests per minute for this key (the API allows 60).
    /// `--api-per-minute` as in `hcs`; `--upstream-per-minute` is the same.
    #[arg(
        long = "api-per-minute",
        visible_alias = "upstream-per-minute",
        env = "HC_PROXY_UPSTREAM_PER_MINUTE"
    )]
    pub upstream_per_minute: Option<u32>,
    /// Requests per second per visitor IP (0 disables the limit).
    #[arg(long, env = "HC_PROXY_PER_IP_PER_SECOND")]
    pub per_ip_per_second: Option<u32>,
    /// Burst allowed per visitor IP.
    #[arg(long, env = "HC_PROXY_PER_IP_BURST")]
    pub per_ip_burst: Option<u32>,
    /// Proxies (CDN, load balancer) in front of this one that append to
    /// X-Forwarded-For; the visitor is the N-th address from the right
    /// (0: the peer address, the default).
    #[arg(long, env = "HC_PROXY_TRUSTED_HOPS")]
    pub trusted_hops: Option<u32>,
    /// Retired: refused with a message naming `--trusted-hops`.
    #[arg(long, env = "HC_PROXY_TRUST_FORWARDED", hide = true)]
    pub trust_forwarded: bool,
    /// Seconds before a visitor request is answered 408.
    #[arg(long, env = "HC_PROXY_REQUEST_TIMEOUT_SECS")]
    pub request_timeout_secs: Option<u64>,
    /// Seconds a client has to send a whole request head (slow clients are disconnected).
    #[arg(long, env = "HC_PROXY_HEADER_READ_TIMEOUT_SECS")]
    pub header_read_timeout_secs: Option<u64>,
    /// Seconds a keep-alive connection may wait for its next request.
    #[arg(long, env = "HC_PROXY_IDLE_TIMEOUT_SECS")]
    pub idle_timeout_secs: Option<u64>,
    /// Most connections open at once; more wait to be accepted.
    #[arg(long, env = "HC_PROXY_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Largest accepted request body in bytes.
    #[arg(long, env = "HC_PROXY_BODY_LIMIT")]
    pub body_limit: Option<usize>,
    /// Accept a Read & Write key (refused by default).
    #[arg(long, env = "HC_PROXY_ALLOW_WRITE_KEY")]
    pub allow_write_key: bool,
    /// Do not fetch the help center at start (the first request does).
    #[arg(long, env = "HC_PROXY_NO_WARM")]
    pub no_warm: bool,
}

/// The same settings as a TOML file (snake_case keys).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FileConfig {
    /// `api`, as the flag; `upstream` is the same key.
    #[serde(alias = "upstream")]
    pub api: Option<String>,
    pub key_file: Option<PathBuf>,
    pub listen: Option<SocketAddr>,
    pub allow_origins: Vec<String>,
    pub public_url: Option<String>,
    pub languages: Vec<String>,
    pub default_language: Option<String>,
    pub synonyms: Vec<String>,
    pub suggestions: Option<PathBuf>,
    pub fresh_secs: Option<u64>,
    pub stale_while_revalidate_secs: Option<u64>,
    pub stale_if_error_secs: Option<u64>,
    pub retry_failed_secs: Option<u64>,
    pub cold_wait_secs: Option<u64>,
    pub upstream_timeout_secs: Option<u64>,
    /// `api_per_minute`, as the flag; `upstream_per_minute` is the same key.
    #[serde(rename = "api_per_minute", alias = "upstream_per_minute")]
    pub upstream_per_minute: Option<u32>,
    pub per_ip_per_second: Option<u32>,
    pub per_ip_burst: Option<u32>,
    pub trusted_hops: Option<u32>,
    /// Retired: present only so that it is refused with a useful message.
    pub trust_forwarded: Option<toml::Value>,
    pub request_timeout_secs: Option<u64>,
    pub header_read_timeout_secs: Option<u64>,
    pub idle_timeout_secs: Option<u64>,
    pub max_connections: Option<usize>,
    pub body_limit: Option<usize>,
    pub allow_write_key: Option<bool>,
    pub no_warm: Option<bool>,
}

/// Which origins may read the proxy's answers from a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origins {
    /// No CORS headers: same-origin use only.
    None,
    Any,
    List(Vec<String>),
}

/// Everything the proxy needs, validated.
#[derive(Debug, Clone)]
pub struct Settings {
    pub upstream: String,
    pub key_file: Option<PathBuf>,
    pub listen: SocketAddr,
    pub origins: Origins,
    pub public_url: Option<ammonia::Url>,
    pub languages: Vec<LangCode>,
    pub default_language: Option<LangCode>,
    /// The site's synonym groups, from the `--synonyms` files.
    pub synonyms: Synonyms,
    /// Suggestions by page path, from the `--suggestions` file.
    pub page_rules: Vec<PageRule>,
    pub fresh_for: Duration,
    pub stale_while_revalidate: Duration,
    pub stale_if_error: Duration,
    pub retry_failed_after: Duration,
    pub cold_wait: Duration,
    pub upstream_timeout: Duration,
    pub upstream_per_minute: u32,
    pub per_ip_per_second: u32,
    pub per_ip_burst: u32,
    /// How many proxies in front of this one append to `X-Forwarded-For`
    /// (0: rate-limit by the peer address).
    pub trusted_hops: u32,
    pub request_timeout: Duration,
    /// A request head must arrive whole within this.
    pub header_read_timeout: Duration,
    /// A keep-alive connection without a request for this long is closed.
    pub idle_timeout: Duration,
    /// Connections open at once (each costs a file descriptor).
    pub max_connections: usize,
    pub body_limit: usize,
    pub allow_write_key: bool,
    pub warm_on_start: bool,
    /// Build the prebuilt per-language packs after each refresh
    /// ([`crate::packs`]); off only for embedders and tests that never
    /// serve them.
    pub build_packs: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            upstream: DEFAULT_API_URL.to_string(),
            key_file: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            origins: Origins::None,
            public_url: None,
            languages: Vec::new(),
            default_language: None,
            synonyms: Synonyms::new(),
            page_rules: Vec::new(),
            fresh_for: Duration::from_secs(300),
            stale_while_revalidate: Duration::from_secs(3600),
            stale_if_error: Duration::from_secs(86_400),
            retry_failed_after: Duration::from_secs(30),
            cold_wait: Duration::from_secs(20),
            upstream_timeout: Duration::from_secs(15),
            upstream_per_minute: 60,
            per_ip_per_second: 20,
            per_ip_burst: 100,
            trusted_hops: 0,
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 768,
            build_packs: true,
            body_limit: 16 * 1024,
            allow_write_key: false,
            warm_on_start: true,
        }
    }
}

impl Settings {
    /// Merges flags/env over the TOML file (if any) over the defaults.
    pub fn from_args(args: Args) -> Result<Self, ConfigError> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        Self::merge(args, file)
    }

    pub fn merge(args: Args, file: FileConfig) -> Result<Self, ConfigError> {
        let d = Settings::default();
        if args.trust_forwarded {
            return Err(ConfigError::Retired {
                old: "--trust-forwarded (HC_PROXY_TRUST_FORWARDED)",
                new: "--trusted-hops N (HC_PROXY_TRUSTED_HOPS=N), N being the number of proxies in front of hc-proxy that append to X-Forwarded-For, usually 1",
            });
        }
        if file.trust_forwarded.is_some() {
            return Err(ConfigError::Retired {
                old: "trust_forwarded in the TOML file",
                new: "trusted_hops = N, N being the number of proxies in front of hc-proxy that append to X-Forwarded-For, usually 1",
            });
        }
        let secs = |flag: Option<u64>, file: Option<u64>, default: Duration| {
            flag.or(file).map(Duration::from_secs).unwrap_or(default)
        };
        let origins_raw = if args.allow_origins.is_empty() {
            file.allow_origins
        } else {
            args.allow_origins
        };
        let languages_raw = if args.languages.is_empty() {
            file.languages
        } else {
            args.languages
        };
        let synonyms_raw = if args.synonyms.is_empty() {
            file.synonyms
        } else {
            args.synonyms
        };
        let synonyms = read_synonyms(&synonyms_raw)?;
        let page_rules = read_page_rules(args.suggestions.or(file.suggestions).as_deref())?;
        let public_url = args
            .public_url
            .or(file.public_url)
            .map(|u| parse_public_url(&u))
            .transpose()?;
        Ok(Settings {
            upstream: args.api.or(file.api).unwrap_or(d.upstream),
            key_file: args.key_file.or(file.key_file),
            listen: args.listen.or(file.listen).unwrap_or(d.listen),
            origins: parse_origins(&origins_raw)?,
            public_url,
            languages: languages_raw
                .iter()
                .map(|l| LangCode::parse(l))
                .collect::<Result<_, _>>()?,
            default_language: args
                .default_language
                .or(file.default_language)
                .map(|l| LangCode::parse(&l))
                .transpose()?,
            synonyms,
            page_rules,
            fresh_for: secs(args.fresh_secs, file.fresh_secs, d.fresh_for)
                .max(Duration::from_secs(1)),
            stale_while_revalidate: secs(
                args.stale_while_revalidate_secs,
                file.stale_while_revalidate_secs,
                d.stale_while_revalidate,
            ),
            stale_if_error: secs(
                args.stale_if_error_secs,
                file.stale_if_error_secs,
                d.stale_if_error,
            ),
            retry_failed_after: secs(
                args.retry_failed_secs,
                file.retry_failed_secs,
                d.retry_failed_after,
            ),
            cold_wait: secs(args.cold_wait_secs, file.cold_wait_secs, d.cold_wait),
            upstream_timeout: secs(
                args.upstream_timeout_secs,
                file.upstream_timeout_secs,
                d.upstream_timeout,
            ),
            upstream_per_minute: args
                .upstream_per_minute
                .or(file.upstream_per_minute)
                .unwrap_or(d.upstream_per_minute),
            per_ip_per_second: args
                .per_ip_per_second
                .or(file.per_ip_per_second)
                .unwrap_or(d.per_ip_per_second),
            per_ip_burst: args
                .per_ip_burst
                .or(file.per_ip_burst)
                .unwrap_or(d.per_ip_burst)
                .max(1),
            trusted_hops: args
                .trusted_hops
                .or(file.trusted_hops)
                .unwrap_or(d.trusted_hops),
            request_timeout: secs(
                args.request_timeout_secs,
                file.request_timeout_secs,
                d.request_timeout,
            ),
            header_read_timeout: secs(
                args.header_read_timeout_secs,
                file.header_read_timeout_secs,
                d.header_read_timeout,
            )
            .max(Duration::from_secs(1)),
            idle_timeout: secs(
                args.idle_timeout_secs,
                file.idle_timeout_secs,
                d.idle_timeout,
            )
            .max(Duration::from_secs(1)),
            max_connections: args
                .max_connections
                .or(file.max_connections)
                .unwrap_or(d.max_connections)
                .max(1),
            body_limit: args.body_limit.or(file.body_limit).unwrap_or(d.body_limit),
            allow_write_key: args.allow_write_key || file.allow_write_key.unwrap_or(false),
            warm_on_start: !(args.no_warm || file.no_warm.unwrap_or(false)),
            build_packs: d.build_packs,
        })
    }
}

/// Reads and merges the `--synonyms` files (`hc_core::synonyms::parse_arg`).
pub fn read_synonyms(args: &[String]) -> Result<Synonyms, ConfigError> {
    hc_core::synonyms::parse_args(args, |path| {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
    })
    .map_err(ConfigError::Synonyms)
}

/// Reads the `--suggestions` rules file (`hc_core::page_rules::parse`).
pub fn read_page_rules(path: Option<&Path>) -> Result<Vec<PageRule>, ConfigError> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    hc_core::page_rules::parse(&text)
        .map_err(|e| ConfigError::Suggestions(format!("{}: {e}", path.display())))
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Toml {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

pub fn parse_public_url(raw: &str) -> Result<ammonia::Url, ConfigError> {
    hc_publish::parse_public_url(raw).map_err(|e| ConfigError::PublicUrl(e.0))
}

/// Checks the allowlist and writes each origin the way a browser sends it
/// (see [`normalize_origin`]), so that `https://Docs.Example.com:443` in the
/// configuration matches `Origin: https://docs.example.com`.
pub(crate) fn parse_origins(raw: &[String]) -> Result<Origins, ConfigError> {
    let list: Vec<&str> = raw
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .collect();
    if list.is_empty() {
        return Ok(Origins::None);
    }
    if list.contains(&"*") {
        if list.len() > 1 {
            return Err(ConfigError::Origin {
                given: "*".into(),
                why: "`*` allows every origin and cannot be combined with others; give `*` alone or only origins".into(),
            });
        }
        return Ok(Origins::Any);
    }
    let mut out: Vec<String> = Vec::new();
    for o in list {
        let origin = normalize_origin(o).map_err(|why| ConfigError::Origin {
            given: o.to_string(),
            why,
        })?;
        if !out.contains(&origin) {
            out.push(origin);
        }
    }
    Ok(Origins::List(out))
}

/// An origin as `scheme://host[:port]`: scheme and host lowercased, the
/// scheme's default port dropped, international names in their ASCII
/// form. Anything beyond the origin (a path other than `/`, a query, a
/// fragment, user info, a wildcard) is refused with the reason, rather
/// than silently never matching.
pub(crate) fn normalize_origin(raw: &str) -> Result<String, String> {
    let example = "write it as scheme://host[:port], e.g. https://www.example.com";
    if raw.contains('*') {
        return Err(format!(
            "wildcards are not supported; list each origin ({example}), or give `*` alone"
        ));
    }
    let url = ammonia::Url::parse(raw).map_err(|e| format!("not a URL ({e}); {example}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("the scheme must be http or https; {example}"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("no host; {example}"));
    }
    let origin = url.origin().ascii_serialization();
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "an origin has no path, query or fragment; write {origin}"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "an origin has no user name or password; write {origin}"
        ));
    }
    Ok(origin)
}

/// The key from `key_file` if set, else from `HC_API_KEY`.
pub fn load_key(key_file: Option<&Path>) -> Result<ApiKey, ConfigError> {
    match key_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            Ok(ApiKey::new(&text)?)
        }
        None => Ok(ApiKey::from_env("HC_API_KEY")?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_file_and_file_over_defaults() {
        let file: FileConfig = toml::from_str(
            "fresh_secs = 10\nallow_origins = [\"https://a.example\"]\nlisten = \"127.0.0.1:9000\"",
        )
        .unwrap();
        let args = Args {
            fresh_secs: Some(5),
            ..Args::default()
        };
        let s = Settings::merge(args, file).unwrap();
        assert_eq!(s.fresh_for, Duration::from_secs(5));
        assert_eq!(s.origins, Origins::List(vec!["https://a.example".into()]));
        assert_eq!(s.listen.port(), 9000);
        assert_eq!(s.upstream, DEFAULT_API_URL);
    }

    #[test]
    fn synonyms_come_from_files_named_by_flag_or_toml_and_a_mistake_stops_the_start() {
        let dir = std::env::temp_dir().join(format!("hc-proxy-synonyms-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let csv = dir.join("de.csv");
        std::fs::write(&csv, "Rechnung, Beleg\n").unwrap();
        let arg = format!("de={}", csv.display());
        let file: FileConfig = toml::from_str(&format!("synonyms = [{arg:?}]")).unwrap();
        let s = Settings::merge(Args::default(), file).unwrap();
        assert_eq!(
            s.synonyms[&LangCode::parse("de").unwrap()],
            [["Rechnung", "Beleg"]]
        );
        let args = Args {
            synonyms: vec![format!("de={}", dir.join("missing.csv").display())],
            ..Args::default()
        };
        let err = Settings::merge(args, FileConfig::default()).unwrap_err();
        assert!(err.to_string().contains("missing.csv"), "{err}");
        std::fs::write(&csv, "Rechnung\n").unwrap();
        let args = Args {
            synonyms: vec![arg],
            ..Args::default()
        };
        let err = Settings::merge(args, FileConfig::default()).unwrap_err();
        assert!(err.to_string().contains("at least two"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn page_rules_come_from_the_suggestions_file() {
        let path = std::env::temp_dir().join(format!("hc-proxy-rules-{}.json", std::process::id()));
        std::fs::write(&path, r#"{"rules": [{"path": "/billing/*", "ids": [12]}]}"#).unwrap();
        let args = Args {
            suggestions: Some(path.clone()),
            ..Args::default()
        };
        let s = Settings::merge(args, FileConfig::default()).unwrap();
        assert_eq!(s.page_rules[0].ids, [12]);
        std::fs::write(&path, r#"{"rules": [{"path": "billing"}]}"#).unwrap();
        let args = Args {
            suggestions: Some(path.clone()),
            ..Args::default()
        };
        let err = Settings::merge(args, FileConfig::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("rule 1"), "{err}");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn origins_are_checked() {
        assert_eq!(parse_origins(&[]).unwrap(), Origins::None);
        assert_eq!(parse_origins(&["*".into()]).unwrap(), Origins::Any);
        assert_eq!(
            parse_origins(&[
                "https://Docs.Example.com:443".into(),
                "HTTP://a.example:80/".into(),
                "http://a.example:8080".into(),
                "https://docs.example.com".into(),
            ])
            .unwrap(),
            Origins::List(vec![
                "https://docs.example.com".into(),
                "http://a.example".into(),
                "http://a.example:8080".into(),
            ])
        );
        for bad in [
            "https://a.example/path",
            "https://a.example?x=1",
            "https://a.example#top",
            "https://user@a.example",
            "https://",
            "a.example",
        ] {
            let e = parse_origins(&[bad.into()]).unwrap_err().to_string();
            assert!(e.contains(bad) && e.contains("write"), "{bad}: {e}");
        }
        let e = parse_origins(&["https://docs.example.com/widget".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("write https://docs.example.com"), "{e}");
        assert!(parse_origins(&["*".into(), "https://a.example".into()]).is_err());
        assert!(parse_origins(&["https://*.example".into()]).is_err());
        assert!(parse_origins(&["https://a.example/path".into()]).is_err());
        assert!(parse_origins(&["javascript:alert(1)".into()]).is_err());
    }

    #[test]
    fn trust_forwarded_is_refused_with_its_replacement() {
        let args = Args {
            trust_forwarded: true,
            ..Args::default()
        };
        let e = Settings::merge(args, FileConfig::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("--trusted-hops"), "{e}");
        let file: FileConfig = toml::from_str("trust_forwarded = true").unwrap();
        let e = Settings::merge(Args::default(), file)
            .unwrap_err()
            .to_string();
        assert!(e.contains("trusted_hops = N"), "{e}");
        let file: FileConfig = toml::from_str("trusted_hops = 2").unwrap();
        let s = Settings::merge(Args::default(), file).unwrap();
        assert_eq!(s.trusted_hops, 2);
        let args = Args::try_parse_from(["hc-proxy", "--trusted-hops", "1"]).unwrap();
        let s = Settings::merge(args, FileConfig::default()).unwrap();
        assert_eq!(s.trusted_hops, 1);
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        assert!(toml::from_str::<FileConfig>("api_key = \"x\"").is_err());
    }

    #[test]
    fn the_api_base_is_api_as_in_hcs_or_upstream() {
        for text in [
            "api = \"https://h.example\"",
            "upstream = \"https://h.example\"",
        ] {
            let file: FileConfig = toml::from_str(text).unwrap();
            assert_eq!(file.api.as_deref(), Some("https://h.example"), "{text}");
        }
        for flag in ["--api", "--upstream"] {
            let args = Args::try_parse_from(["hc-proxy", flag, "https://h.example"]).unwrap();
            assert_eq!(args.api.as_deref(), Some("https://h.example"), "{flag}");
        }
        // The API's per-minute budget: `--api-per-minute`, as in `hcs`.
        for flag in ["--api-per-minute", "--upstream-per-minute"] {
            let args = Args::try_parse_from(["hc-proxy", flag, "30"]).unwrap();
            assert_eq!(args.upstream_per_minute, Some(30), "{flag}");
        }
        for text in ["api_per_minute = 30", "upstream_per_minute = 30"] {
            let file: FileConfig = toml::from_str(text).unwrap();
            assert_eq!(file.upstream_per_minute, Some(30), "{text}");
        }
    }
}
