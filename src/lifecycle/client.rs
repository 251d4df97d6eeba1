//! The endoflife.date API v1 client: `GET {base}/products/{product}` and
//! `GET {base}/products/full`, with timeouts, retries with backoff, a bounded number of requests
//! in flight and a `User-Agent` naming shelflife.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use thiserror::Error;
use tokio::sync::Semaphore;

use super::dataset::{Envelope, Product, SUPPORTED_SCHEMA_MAJOR};
use crate::http::{error_chain, fan_out, preview};

/// The public API's base URL.
pub const DEFAULT_BASE_URL: &str = "https://endoflife.date/api/v1";

/// How the client talks to the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The API's base URL, without the trailing `/products`.
    pub base_url: String,
    /// The longest one request may take, body included.
    pub timeout: Duration,
    /// The longest connecting may take.
    pub connect_timeout: Duration,
    /// How many times a failed request is tried again (never for a 404 or a malformed answer).
    pub retries: u32,
    /// The wait before the first retry; it doubles for each further one.
    pub backoff: Duration,
    /// The most requests in flight at once.
    pub max_in_flight: usize,
}

impl ClientConfig {
    /// The defaults, for the given base URL.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retries: 2,
            backoff: Duration::from_millis(500),
            max_in_flight: 4,
        }
    }
}

/// Why an answer could not be had.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FetchError {
    /// The API does not know the product (it answers 404, with an HTML page).
    #[error("endoflife.date does not know the product `{product}` ({url} answered 404)")]
    UnknownProduct {
        /// The product asked for.
        product: String,
        /// The URL asked.
        url: String,
    },
    /// A product name that cannot be part of a URL path.
    #[error("`{product}` is not a product name (letters, digits, `.`, `_` and `-` only)")]
    InvalidProductName {
        /// The name given.
        product: String,
    },
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
        /// The timeout (`60s`, `300ms`).
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
    /// The answer is not an API v1 answer.
    #[error("{url} did not answer with endoflife.date API v1 JSON: {reason}")]
    Malformed {
        /// The URL asked.
        url: String,
        /// What is wrong, with the start of the answer.
        reason: String,
    },
    /// An answer in a schema version this build cannot read.
    #[error(
        "{url} answered with schema version {found}; this shelflife reads version {SUPPORTED_SCHEMA_MAJOR}.x"
    )]
    UnsupportedSchema {
        /// The URL asked.
        url: String,
        /// The schema version found.
        found: String,
    },
    /// The HTTP client could not be set up.
    #[error("cannot set up the HTTP client: {0}")]
    Setup(String),
}

impl FetchError {
    /// Whether trying again may help.
    fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable { .. } | Self::TimedOut { .. } => true,
            Self::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }

    /// Whether the host could not be reached at all (down, or no network).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Unreachable { .. } | Self::TimedOut { .. })
    }
}

/// One answer with the URL it came from.
#[derive(Debug, Clone)]
pub struct Answer<T> {
    /// The answer.
    pub envelope: Envelope<T>,
    /// The URL asked.
    pub url: String,
}

impl<T> Answer<T> {
    /// The same answer with its result changed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Answer<U> {
        let Envelope { schema_version, generated_at, result } = self.envelope;
        Answer { envelope: Envelope { schema_version, generated_at, result: f(result) }, url: self.url }
    }
}

/// The client. Cheap to clone; clones share the limit on requests in flight.
#[derive(Debug, Clone)]
pub struct EolClient {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
    in_flight: Arc<Semaphore>,
}

impl EolClient {
    /// A client with the given settings.
    pub fn new(config: ClientConfig) -> Result<Self, FetchError> {
        let user_agent = concat!("shelflife/", env!("CARGO_PKG_VERSION"));
        let http = crate::http::client(user_agent, config.timeout, config.connect_timeout)
            .map_err(FetchError::Setup)?;
        let in_flight = Arc::new(Semaphore::new(config.max_in_flight.max(1)));
        Ok(Self { http, config: Arc::new(config), in_flight })
    }

    /// The base URL asked.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// `GET {base}/products/{product}`.
    pub async fn product(&self, product: &str) -> Result<Answer<Product>, FetchError> {
        if product.is_empty()
            || !product.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(FetchError::InvalidProductName { product: product.to_owned() });
        }
        let url = format!("{}/products/{product}", self.base());
        self.get(&url).await.map_err(|error| match error {
            FetchError::Status { status: 404, url } => {
                FetchError::UnknownProduct { product: product.to_owned(), url }
            }
            other => other,
        })
    }

    /// `GET {base}/products/full`: every product with every cycle.
    pub async fn full(&self) -> Result<Answer<Vec<Product>>, FetchError> {
        let url = format!("{}/products/full", self.base());
        self.get(&url).await
    }

    /// Fetches several products, at most `max_in_flight` at a time; each name is asked once.
    pub async fn products(&self, names: &[String]) -> Vec<(String, Result<Answer<Product>, FetchError>)> {
        let task = |name: String| {
            let client = self.clone();
            async move { client.product(&name).await }
        };
        let lost = |name: &String| Err(FetchError::Setup(format!("the request for `{name}` was lost")));
        fan_out(names, task, lost).await
    }

    fn base(&self) -> &str {
        self.config.base_url.trim_end_matches('/')
    }

    /// One GET with retries and backoff for transient failures.
    async fn get<T: DeserializeOwned>(&self, url: &str) -> Result<Answer<T>, FetchError> {
        let mut wait = self.config.backoff;
        let mut attempt = 0;
        loop {
            let result = self.get_once(url).await;
            match result {
                Err(error) if error.is_transient() && attempt < self.config.retries => {
                    attempt += 1;
                    tokio::time::sleep(wait).await;
                    wait = wait.saturating_mul(2);
                }
                other => return other,
            }
        }
    }

    async fn get_once<T: DeserializeOwned>(&self, url: &str) -> Result<Answer<T>, FetchError> {
        let _permit = self.in_flight.acquire().await.map_err(|e| FetchError::Setup(e.to_string()))?;
        let transport = |error: reqwest::Error| self.transport_error(url, &error);
        let response =
            self.http.get(url).header("Accept", "application/json").send().await.map_err(transport)?;
        let status = response.status();
        if status != StatusCode::OK {
            return Err(FetchError::Status { url: url.to_owned(), status: status.as_u16() });
        }
        let body = response.bytes().await.map_err(transport)?;
        let envelope: Envelope<T> = serde_json::from_slice(&body).map_err(|error| FetchError::Malformed {
            url: url.to_owned(),
            reason: format!("{error}; the answer starts with `{}`", preview(&body)),
        })?;
        if !envelope.is_supported() {
            return Err(FetchError::UnsupportedSchema {
                url: url.to_owned(),
                found: envelope.schema_version,
            });
        }
        Ok(Answer { envelope, url: url.to_owned() })
    }

    fn transport_error(&self, url: &str, error: &reqwest::Error) -> FetchError {
        if error.is_timeout() {
            FetchError::TimedOut { url: url.to_owned(), timeout: format!("{:?}", self.config.timeout) }
        } else {
            FetchError::Unreachable { url: url.to_owned(), reason: error_chain(error) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::test_server::{closed_base_url, Behaviour, TestServer};

    fn config(base_url: &str) -> ClientConfig {
        ClientConfig {
            timeout: Duration::from_millis(400),
            connect_timeout: Duration::from_millis(400),
            backoff: Duration::from_millis(10),
            ..ClientConfig::new(base_url)
        }
    }

    #[tokio::test]
    async fn fetches_one_product_and_the_full_dump_naming_shelflife() {
        let server = TestServer::start(Behaviour::Serve);
        let client = EolClient::new(config(&server.base_url)).unwrap();
        let answer = client.product("nodejs").await.unwrap();
        assert_eq!(answer.envelope.result.name, "nodejs");
        assert_eq!(answer.envelope.generated_at, "2025-06-01T00:00:00+00:00");
        assert_eq!(answer.url, format!("{}/products/nodejs", server.base_url));
        let full = client.full().await.unwrap();
        assert_eq!(full.envelope.result.len(), 21);
        assert_eq!(server.user_agents(), vec![format!("shelflife/{}", env!("CARGO_PKG_VERSION")); 2]);
    }

    #[tokio::test]
    async fn a_404_with_an_html_page_is_an_unknown_product_and_is_not_retried() {
        let server = TestServer::start(Behaviour::Serve);
        let client = EolClient::new(config(&server.base_url)).unwrap();
        let error = client.product("no-such-product").await.unwrap_err();
        assert!(matches!(error, FetchError::UnknownProduct { .. }), "{error:?}");
        assert!(error.to_string().starts_with("endoflife.date does not know the product `no-such-product`"));
        assert_eq!(server.requests("no-such-product"), 1);
    }

    #[tokio::test]
    async fn malformed_json_is_a_clear_error_and_is_not_retried() {
        let server = TestServer::start(Behaviour::Malformed);
        let client = EolClient::new(config(&server.base_url)).unwrap();
        let error = client.product("nodejs").await.unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("did not answer with endoflife.date API v1 JSON: EOF while parsing"),
            "{message}"
        );
        assert!(message.contains("the answer starts with `{\"schema_version\""), "{message}");
        assert_eq!(server.requests("nodejs"), 1);
    }

    #[tokio::test]
    async fn a_slow_server_times_out_after_the_retries() {
        let server = TestServer::start(Behaviour::Slow(Duration::from_millis(1500)));
        let client = EolClient::new(ClientConfig { retries: 1, ..config(&server.base_url) }).unwrap();
        let started = std::time::Instant::now();
        let error = client.product("nodejs").await.unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("{}/products/nodejs did not answer within 400ms", server.base_url)
        );
        assert!(error.is_unreachable());
        assert!(started.elapsed() < Duration::from_millis(1500), "the timeout cut the wait short");
        assert_eq!(server.requests("nodejs"), 2, "one retry");
    }

    #[tokio::test]
    async fn an_unreachable_host_says_so() {
        let base = closed_base_url();
        let client = EolClient::new(config(&base)).unwrap();
        let error = client.full().await.unwrap_err();
        assert!(error.is_unreachable());
        let message = error.to_string();
        assert!(message.starts_with(&format!("cannot reach {base}/products/full: ")), "{message}");
        assert!(message.to_lowercase().contains("connection refused"), "{message}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn several_products_are_fetched_once_each_with_bounded_concurrency() {
        let server = TestServer::start(Behaviour::Slow(Duration::from_millis(100)));
        let client = EolClient::new(ClientConfig { max_in_flight: 2, ..config(&server.base_url) }).unwrap();
        let names: Vec<String> =
            ["nodejs", "python", "mysql", "redis", "debian", "ubuntu", "nodejs"].map(String::from).to_vec();
        let results = client.products(&names).await;
        assert_eq!(results.len(), 6);
        assert!(results.iter().all(|(_, result)| result.is_ok()));
        assert_eq!(server.total_requests(), 6, "each product asked once");
        assert_eq!(server.peak_in_flight(), 2);
    }

    #[tokio::test]
    async fn product_names_that_are_not_path_safe_are_refused_without_a_request() {
        let server = TestServer::start(Behaviour::Serve);
        let client = EolClient::new(config(&server.base_url)).unwrap();
        let error = client.product("../full").await.unwrap_err();
        assert!(matches!(error, FetchError::InvalidProductName { .. }));
        assert_eq!(server.total_requests(), 0);
    }
}
