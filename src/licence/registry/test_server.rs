//! A real HTTP server on 127.0.0.1 that answers like the npm registry (under `/npm`), PyPI
//! (under `/pypi`) and crates.io (under `/crates`), from the saved answers in
//! `fixtures/licences/registry/`, with scripted failures for the client tests. It runs on its
//! own thread and runtime so that synchronous code under test can call it.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

use super::client::LookupConfig;

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
    requests: HashMap<String, usize>,
    user_agents: Vec<String>,
    current: usize,
    peak: usize,
}

/// The running server.
pub struct TestServer {
    address: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub fn start() -> Self {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let app = Router::new().fallback(answer).with_state(shared.clone());
        let thread = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stop.await;
                    })
                    .await;
            });
        });
        Self { address, shared, shutdown: Some(shutdown), thread: Some(thread) }
    }

    /// A client configuration pointing at this server, with short timeouts and backoff.
    pub fn config(&self) -> LookupConfig {
        LookupConfig {
            npm: format!("http://{}/npm", self.address),
            pypi: format!("http://{}/pypi", self.address),
            crates: format!("http://{}/crates", self.address),
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
        self.shared.lock().expect("lock").requests.get(path).copied().unwrap_or(0)
    }

    /// All requests so far.
    pub fn total_requests(&self) -> usize {
        self.shared.lock().expect("lock").requests.values().sum()
    }

    /// The `User-Agent` headers seen.
    pub fn user_agents(&self) -> Vec<String> {
        self.shared.lock().expect("lock").user_agents.clone()
    }

    /// The most requests answered at once.
    pub fn peak_in_flight(&self) -> usize {
        self.shared.lock().expect("lock").peak
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A base URL on 127.0.0.1 where nothing listens.
pub fn closed_base_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{address}")
}

async fn answer(State(shared): State<Arc<Mutex<Shared>>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy().into_owned();
    let (scripted, delay) = {
        let mut shared = shared.lock().expect("lock");
        *shared.requests.entry(path.clone()).or_default() += 1;
        let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default();
        shared.user_agents.push(agent.to_owned());
        shared.current += 1;
        shared.peak = shared.peak.max(shared.current);
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
    shared.lock().expect("lock").current -= 1;
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
