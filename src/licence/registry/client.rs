//! The HTTP client for the registries' JSON APIs: a `User-Agent` naming shelflife (crates.io
//! refuses requests without one), a timeout per request, retries with backoff on 5xx, 429 and
//! timeouts (never on a 404 or a malformed answer), and a bound on requests in flight. A host
//! that cannot be reached at all (its name does not resolve, the connection is refused) is not
//! retried, and the registry is not asked again in the run: each further request would fail
//! the same way.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use thiserror::Error;
use tokio::sync::Semaphore;

use super::{answers, Lookup, Package, Registry};
use crate::http::{error_chain, fan_out, preview};

/// How the client talks to the registries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupConfig {
    /// npm's base URL.
    pub npm: String,
    /// PyPI's base URL (without `/pypi`).
    pub pypi: String,
    /// crates.io's base URL (without `/api/v1`).
    pub crates: String,
    /// The longest one request may take, body included.
    pub timeout: Duration,
    /// The longest connecting may take.
    pub connect_timeout: Duration,
    /// How many times a failed request is tried again.
    pub retries: u32,
    /// The wait before the first retry; it doubles for each further one.
    pub backoff: Duration,
    /// The most requests in flight at once.
    pub max_in_flight: usize,
}

impl Default for LookupConfig {
    /// The public registries, or what the `SHELFLIFE_*` variables say instead.
    fn default() -> Self {
        let base = |registry: Registry| {
            std::env::var(registry.base_url_variable())
                .ok()
                .filter(|url| !url.trim().is_empty())
                .unwrap_or_else(|| registry.default_base_url().to_owned())
        };
        Self {
            npm: base(Registry::Npm),
            pypi: base(Registry::PyPi),
            crates: base(Registry::Crates),
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            retries: 2,
            backoff: Duration::from_millis(500),
            max_in_flight: 8,
        }
    }
}

impl LookupConfig {
    /// The base URL of a registry.
    pub fn base_url(&self, registry: Registry) -> &str {
        match registry {
            Registry::Npm => &self.npm,
            Registry::PyPi => &self.pypi,
            Registry::Crates => &self.crates,
        }
    }
}

/// Why a registry could not be asked.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LookupError {
    /// The host could not be reached.
    #[error("cannot reach {url}: {reason}")]
    Unreachable {
        /// The URL asked.
        url: String,
        /// Why, as the network stack says it.
        reason: String,
    },
    /// No complete answer within the timeout.
    #[error("{url} did not answer within {timeout}")]
    TimedOut {
        /// The URL asked.
        url: String,
        /// The timeout.
        timeout: String,
    },
    /// An HTTP error status other than 404.
    #[error("{url} answered HTTP {status}")]
    Status {
        /// The URL asked.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The answer is not the registry's JSON.
    #[error("{url} did not answer with the registry's JSON: {reason}")]
    Malformed {
        /// The URL asked.
        url: String,
        /// What is wrong, with the start of the answer.
        reason: String,
    },
    /// Not asked: the registry could not be reached earlier in this run.
    #[error("{url} not asked: {registry} could not be reached earlier in this run ({reason})")]
    NotAsked {
        /// The URL that would have been asked.
        url: String,
        /// The registry.
        registry: Registry,
        /// Why it could not be reached.
        reason: String,
    },
    /// The HTTP client could not be set up.
    #[error("cannot set up the HTTP client: {0}")]
    Setup(String),
}

impl LookupError {
    fn is_transient(&self) -> bool {
        match self {
            Self::TimedOut { .. } => true,
            Self::Status { status, .. } => *status == 429 || *status >= 500,
            Self::Unreachable { .. } | Self::Malformed { .. } | Self::NotAsked { .. } | Self::Setup(_) => {
                false
            }
        }
    }
}

/// The client. Cheap to clone; clones share the bound on requests in flight and what they
/// learnt about unreachable registries: once a registry's host cannot be reached (after the
/// retries), the other packages of that registry are not asked in this run.
#[derive(Debug, Clone)]
pub struct LookupClient {
    http: reqwest::Client,
    config: Arc<LookupConfig>,
    in_flight: Arc<Semaphore>,
    unreachable: Arc<Mutex<HashMap<Registry, String>>>,
}

impl LookupClient {
    /// A client with the given settings.
    pub fn new(config: LookupConfig) -> Result<Self, LookupError> {
        let user_agent = concat!("shelflife/", env!("CARGO_PKG_VERSION"), " (licence look-ups)");
        let http = crate::http::client(user_agent, config.timeout, config.connect_timeout)
            .map_err(LookupError::Setup)?;
        let in_flight = Arc::new(Semaphore::new(config.max_in_flight.max(1)));
        Ok(Self { http, config: Arc::new(config), in_flight, unreachable: Arc::default() })
    }

    /// What the package's registry says about its licence.
    pub async fn lookup(&self, package: &Package) -> Result<Lookup, LookupError> {
        let url = package.url(self.config.base_url(package.registry));
        let mut wait = self.config.backoff;
        let mut attempt = 0;
        loop {
            match self.get_once(package.registry, &url).await {
                Err(error) if error.is_transient() && attempt < self.config.retries => {
                    attempt += 1;
                    tokio::time::sleep(wait).await;
                    wait = wait.saturating_mul(2);
                }
                Err(LookupError::Unreachable { url, reason }) => {
                    self.mark_unreachable(package.registry, &reason);
                    return Err(LookupError::Unreachable { url, reason });
                }
                other => return other,
            }
        }
    }

    fn known_unreachable(&self, registry: Registry) -> Option<String> {
        self.unreachable.lock().ok().and_then(|known| known.get(&registry).cloned())
    }

    fn mark_unreachable(&self, registry: Registry, reason: &str) {
        if let Ok(mut known) = self.unreachable.lock() {
            known.entry(registry).or_insert_with(|| reason.to_owned());
        }
    }

    /// Looks up every package once, at most `max_in_flight` at a time; the results come in
    /// the order of the (sorted, de-duplicated) packages.
    pub async fn lookup_all(&self, packages: &[Package]) -> Vec<(Package, Result<Lookup, LookupError>)> {
        let task = |package: Package| {
            let client = self.clone();
            async move { client.lookup(&package).await }
        };
        let lost = |package: &Package| Err(LookupError::Setup(format!("the request for {package} was lost")));
        fan_out(packages, task, lost).await
    }

    async fn get_once(&self, registry: Registry, url: &str) -> Result<Lookup, LookupError> {
        let _permit = self.in_flight.acquire().await.map_err(|e| LookupError::Setup(e.to_string()))?;
        if let Some(reason) = self.known_unreachable(registry) {
            return Err(LookupError::NotAsked { url: url.to_owned(), registry, reason });
        }
        let transport = |error: reqwest::Error| self.transport_error(url, &error);
        let response =
            self.http.get(url).header("Accept", "application/json").send().await.map_err(transport)?;
        let status = response.status();
        if status == StatusCode::NOT_FOUND {
            return Ok(Lookup::NotInRegistry { url: url.to_owned() });
        }
        if status != StatusCode::OK {
            return Err(LookupError::Status { url: url.to_owned(), status: status.as_u16() });
        }
        let body = response.bytes().await.map_err(transport)?;
        let licences = answers::licences(registry, &body).map_err(|error| LookupError::Malformed {
            url: url.to_owned(),
            reason: format!("{error}; the answer starts with `{}`", preview(&body)),
        })?;
        Ok(if licences.is_empty() {
            Lookup::NoLicence { url: url.to_owned() }
        } else {
            Lookup::Found { licences, url: url.to_owned() }
        })
    }

    fn transport_error(&self, url: &str, error: &reqwest::Error) -> LookupError {
        if error.is_timeout() {
            LookupError::TimedOut { url: url.to_owned(), timeout: format!("{:?}", self.config.timeout) }
        } else {
            LookupError::Unreachable { url: url.to_owned(), reason: error_chain(error) }
        }
    }
}

#[cfg(test)]
mod tests;
