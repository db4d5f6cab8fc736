//! Runtime configuration, from flags or the environment (flags win).

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

/// A value that must never be printed: `Debug` and `Display` show `[redacted]`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    #[must_use]
    pub fn new(value: String) -> Self {
        Self(value)
    }

    /// The secret itself, for the one place that needs it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

/// Online payment settings; all absent means online payment is off.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct StripeSettings {
    #[arg(long, env = "STRIPE_SECRET_KEY", hide_env_values = true)]
    pub stripe_secret_key: Option<Secret>,
    #[arg(long, env = "STRIPE_WEBHOOK_SECRET", hide_env_values = true)]
    pub stripe_webhook_secret: Option<Secret>,
    /// Points the Stripe client at a local emulator.
    #[arg(long, env = "STRIPE_API_BASE")]
    pub stripe_api_base: Option<String>,
    /// Public: lets Stripe.js on the payer's phone collect card or Alipay details.
    #[arg(long, env = "STRIPE_PUBLISHABLE_KEY")]
    pub stripe_publishable_key: Option<String>,
}

/// Where the data lives.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseSettings {
    /// `sqlite://courtyard.db` (the default, created on first start) or `postgres://…`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://courtyard.db",
        hide_env_values = true
    )]
    pub database_url: Secret,
}

/// Log output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// What `courtyard serve` needs.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeSettings {
    #[command(flatten)]
    pub database: DatabaseSettings,
    #[arg(long, env = "COURTYARD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Server secret (reserved for signing; tokens themselves are random and stored hashed).
    #[arg(long, env = "COURTYARD_SECRET", hide_env_values = true)]
    pub secret: Option<Secret>,
    /// The built single-page app to serve.
    #[arg(long, env = "COURTYARD_STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: PathBuf,
    /// Where attached files (resolutions' scans) are kept.
    #[arg(long, env = "COURTYARD_FILES_DIR", default_value = "courtyard-files")]
    pub files_dir: PathBuf,
    /// Seconds a GraphQL request may run before it is stopped (and, on PostgreSQL, its
    /// statement cancelled).
    #[arg(long, env = "COURTYARD_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout_secs: u64,
    #[command(flatten)]
    pub stripe: StripeSettings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2".into());
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
        assert_eq!(s.expose(), "hunter2");
    }
}
