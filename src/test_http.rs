//! What the loopback HTTP servers of the client tests share: an axum app served on a free port
//! of 127.0.0.1 on its own thread and runtime (so that synchronous code under test can call it),
//! stopped when dropped, and the record of the traffic it saw.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::http::{header, HeaderMap};
use axum::Router;

/// An app being served on 127.0.0.1.
pub struct LoopbackServer {
    /// Where it listens.
    pub address: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LoopbackServer {
    /// Serves `app` on a free port of 127.0.0.1.
    pub fn start(app: Router) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
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
        Self { address, shutdown: Some(shutdown), thread: Some(thread) }
    }

    /// Stops serving; the port then refuses connections.
    pub fn stop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// An address on 127.0.0.1 where nothing listens.
pub fn closed_address() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.local_addr().expect("local address")
}

/// The requests a server has seen: how many per path, their `User-Agent`s, and how many it was
/// answering at once.
#[derive(Debug, Default)]
pub struct Traffic {
    requests: HashMap<String, usize>,
    user_agents: Vec<String>,
    current: usize,
    peak: usize,
}

impl Traffic {
    /// Counts a request for `path`.
    pub fn record(&mut self, path: &str, headers: &HeaderMap) {
        *self.requests.entry(path.to_owned()).or_default() += 1;
        let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default();
        self.user_agents.push(agent.to_owned());
    }

    /// An answer has begun.
    pub fn begin(&mut self) {
        self.current += 1;
        self.peak = self.peak.max(self.current);
    }

    /// An answer has ended.
    pub fn end(&mut self) {
        self.current = self.current.saturating_sub(1);
    }

    /// How many requests `path` has had.
    pub fn requests(&self, path: &str) -> usize {
        self.requests.get(path).copied().unwrap_or(0)
    }

    /// All requests so far.
    pub fn total(&self) -> usize {
        self.requests.values().sum()
    }

    /// The `User-Agent` headers seen, in order.
    pub fn user_agents(&self) -> Vec<String> {
        self.user_agents.clone()
    }

    /// The most answers under way at once.
    pub fn peak(&self) -> usize {
        self.peak
    }
}
