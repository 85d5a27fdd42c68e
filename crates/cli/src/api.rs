//! The options every command that calls the API shares (import, sync,
//! export): where the API is and how fast it may be called. The key comes
//! from `HC_API_KEY` only, never a flag.

use hc_client::{ApiKey, Client, ClientError, KeyError, UpstreamLimiter, DEFAULT_API_URL};

/// Why no client could be built from the options and the environment.
#[derive(Debug, thiserror::Error)]
pub enum ApiSetupError {
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("--api")]
    Url(#[from] ClientError),
}

#[derive(Debug, Clone, clap::Args)]
pub struct ApiArgs {
    /// API base URL (`https://api.helpcenter.io/v1`; a host alone means its `/v1`).
    #[arg(long, default_value = DEFAULT_API_URL)]
    pub api: String,
    /// Requests per minute this run may send (the API allows 60 per token;
    /// raise it only if support lifted your token's limit; 0 = no limit,
    /// for a local simulator). `--api-per-minute` as in hc-proxy;
    /// `--rate-limit` is the same.
    #[arg(
        long = "api-per-minute",
        visible_alias = "rate-limit",
        default_value_t = 60
    )]
    pub rate_limit: u32,
}

impl ApiArgs {
    /// A client with the key from `HC_API_KEY` and the rate limiter.
    pub fn client(&self) -> Result<Client, ApiSetupError> {
        let key = ApiKey::from_env("HC_API_KEY")?;
        let client = Client::new(&self.api, key)?;
        let limiter = (self.rate_limit > 0).then(|| UpstreamLimiter::per_minute(self.rate_limit));
        Ok(client.with_limiter(limiter))
    }

    /// The base URL as the state file records it.
    pub fn normalized(&self) -> String {
        hc_client::normalize_base(&self.api)
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        api: super::ApiArgs,
    }

    /// The API settings have hc-proxy's names; the older `--rate-limit`
    /// still works.
    #[test]
    fn the_api_flags_are_named_as_in_hc_proxy() {
        for flag in ["--api-per-minute", "--rate-limit"] {
            let cli =
                Cli::try_parse_from(["hcs", flag, "0", "--api", "https://h.example"]).unwrap();
            assert_eq!(
                (cli.api.rate_limit, cli.api.api.as_str()),
                (0, "https://h.example"),
                "{flag}"
            );
        }
        assert_eq!(Cli::try_parse_from(["hcs"]).unwrap().api.rate_limit, 60);
    }
}
