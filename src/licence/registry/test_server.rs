//! A real HTTP server on 127.0.0.1 that answers like the npm registry (under `/npm`), PyPI
//! (under `/pypi`) and crates.io (under `/crates`), from the saved answers in
//! `fixtures/licences/registry/`, with scripted failures for the client tests. It runs on its
//! own thread and runtime so that synchronous code under test can call it.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

use super::client::LookupConfig;
use crate::test_http::{closed_address, LoopbackServer, Traffic};

/// One scripted answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// This HTTP status with an empty body.
    Status(u16),
    /// `200 OK` with JSON cut off in the middle.
    Malformed,
    /// The normal answer, after a delay.
    Slow(Duration),
}

#[derive(Debug, Default)]
struct Shared {
    scripts: HashMap<String, VecDeque<Reply>>,
    delay: Option<Duration>,
    traffic: Traffic,
}

/// The running server.
pub struct TestServer {
    shared: Arc<Mutex<Shared>>,
    server: LoopbackServer,
}

impl TestServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub fn start() -> Self {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let server = LoopbackServer::start(Router::new().fallback(answer).with_state(shared.clone()));
        Self { shared, server }
    }

    /// A client configuration pointing at this server, with short timeouts and backoff.
    pub fn config(&self) -> LookupConfig {
        let address = self.server.address;
        LookupConfig {
            npm: format!("http://{address}/npm"),
            pypi: format!("http://{address}/pypi"),
            crates: format!("http://{address}/crates"),
            timeout: Duration::from_millis(500),
            connect_timeout: Duration::from_millis(500),
            retries: 2,
            backoff: Duration::from_millis(10),
            max_in_flight: 4,
        }
    }

    /// Answers the next requests for `path` (as the server sees it, decoded) with `replies`, in
    /// order; after them, normally.
    pub fn script(&self, path: &str, replies: Vec<Reply>) {
        self.shared.lock().expect("lock").scripts.insert(path.to_owned(), replies.into());
    }

    /// Delays every normal answer from now on.
    pub fn set_delay(&self, delay: Duration) {
        self.shared.lock().expect("lock").delay = Some(delay);
    }

    /// How many requests a path has had.
    pub fn requests(&self, path: &str) -> usize {
        self.shared.lock().expect("lock").traffic.requests(path)
    }

    /// All requests so far.
    pub fn total_requests(&self) -> usize {
        self.shared.lock().expect("lock").traffic.total()
    }

    /// The `User-Agent` headers seen.
    pub fn user_agents(&self) -> Vec<String> {
        self.shared.lock().expect("lock").traffic.user_agents()
    }

    /// The most requests answered at once.
    pub fn peak_in_flight(&self) -> usize {
        self.shared.lock().expect("lock").traffic.peak()
    }
}

/// A base URL on 127.0.0.1 where nothing listens.
pub fn closed_base_url() -> String {
    format!("http://{}", closed_address())
}

async fn answer(State(shared): State<Arc<Mutex<Shared>>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy().into_owned();
    let (scripted, delay) = {
        let mut shared = shared.lock().expect("lock");
        shared.traffic.record(&path, &headers);
        shared.traffic.begin();
        let scripted = shared.scripts.get_mut(&path).and_then(VecDeque::pop_front);
        (scripted, shared.delay)
    };
    let response = match scripted {
        Some(Reply::Status(status)) => {
            StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT).into_response()
        }
        Some(Reply::Malformed) => json(r#"{"info": {"license": "MIT", "classif"#.to_owned()),
        Some(Reply::Slow(wait)) => {
            tokio::time::sleep(wait).await;
            fixture_answer(&path)
        }
        None => {
            if let Some(wait) = delay {
                tokio::time::sleep(wait).await;
            }
            fixture_answer(&path)
        }
    };
    shared.lock().expect("lock").traffic.end();
    response
}

/// The saved answer for a path, or the registry's own kind of 404.
fn fixture_answer(path: &str) -> Response {
    let Some((file, not_found)) = fixture_file(path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match std::fs::read_to_string(&file) {
        Ok(body) => json(body),
        Err(_) => {
            (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "application/json")], not_found).into_response()
        }
    }
}

/// The fixture file for a request path, and the body its registry answers a 404 with.
fn fixture_file(path: &str) -> Option<(PathBuf, &'static str)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/licences/registry");
    if let Some(rest) = path.strip_prefix("/npm/") {
        let (name, version) = rest.rsplit_once('/')?;
        return Some((root.join(format!("npm/{}@{version}.json", name.replace('/', "__"))), ""));
    }
    if let Some(rest) = path.strip_prefix("/pypi/pypi/") {
        let (name, version) = rest.strip_suffix("/json")?.split_once('/')?;
        return Some((root.join(format!("pypi/{name}@{version}.json")), r#"{"message": "Not Found"}"#));
    }
    let rest = path.strip_prefix("/crates/api/v1/crates/")?;
    let (name, version) = rest.split_once('/')?;
    Some((root.join(format!("crates/{name}@{version}.json")), r#"{"errors":[{"detail":"Not Found"}]}"#))
}

fn json(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}
