//! A real HTTP server on 127.0.0.1 that answers like the endoflife.date API v1, from the
//! fixture dump, for the client and enrichment tests. It runs on its own thread and runtime so
//! that synchronous code under test can call it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use crate::test_http::{closed_address, LoopbackServer, Traffic};

/// The fixture dump the server answers from.
pub const FIXTURE: &str = include_str!("../../fixtures/endoflife/test-dataset.json");

/// How the server answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// Like the API: products from the fixture, 404 with an HTML page for unknown ones.
    Serve,
    /// `200 OK` with a body cut off in the middle of the JSON.
    Malformed,
    /// Like `Serve`, after a delay.
    Slow(Duration),
}

#[derive(Debug)]
struct Shared {
    behaviour: Behaviour,
    generated_at: String,
    traffic: Traffic,
}

/// The running server.
pub struct TestServer {
    /// The API base URL (`http://127.0.0.1:PORT/api/v1`).
    pub base_url: String,
    shared: Arc<Mutex<Shared>>,
    server: LoopbackServer,
}

impl TestServer {
    /// Starts a server with the given behaviour on a free port of 127.0.0.1.
    pub fn start(behaviour: Behaviour) -> Self {
        let generated_at = fixture()["generated_at"].as_str().unwrap_or_default().to_owned();
        let shared = Arc::new(Mutex::new(Shared { behaviour, generated_at, traffic: Traffic::default() }));
        let app = Router::new()
            .route("/api/v1/products/full", get(full))
            .route("/api/v1/products/{name}", get(product))
            .with_state(shared.clone());
        let server = LoopbackServer::start(app);
        Self { base_url: format!("http://{}/api/v1", server.address), shared, server }
    }

    /// Changes how the server answers from now on.
    pub fn set_behaviour(&self, behaviour: Behaviour) {
        self.shared.lock().expect("lock").behaviour = behaviour;
    }

    /// Changes the `generated_at` of every answer from now on (a newer dataset).
    pub fn set_generated_at(&self, generated_at: &str) {
        self.shared.lock().expect("lock").generated_at = generated_at.to_owned();
    }

    /// How many requests a path (`full`, `nodejs`) has had.
    pub fn requests(&self, path: &str) -> usize {
        self.shared.lock().expect("lock").traffic.requests(path)
    }

    /// The `User-Agent` headers seen.
    pub fn user_agents(&self) -> Vec<String> {
        self.shared.lock().expect("lock").traffic.user_agents()
    }

    /// The most requests the server was answering at once (counted in `Slow` mode).
    pub fn peak_in_flight(&self) -> usize {
        self.shared.lock().expect("lock").traffic.peak()
    }

    /// All requests so far.
    pub fn total_requests(&self) -> usize {
        self.shared.lock().expect("lock").traffic.total()
    }

    /// Stops the server; its port then refuses connections.
    pub fn stop(&mut self) {
        self.server.stop();
    }
}

/// A base URL on 127.0.0.1 where nothing listens.
pub fn closed_base_url() -> String {
    format!("http://{}/api/v1", closed_address())
}

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("fixture parses")
}

/// Counts the request and applies the behaviour; `None` means answer normally.
async fn prelude(shared: &Arc<Mutex<Shared>>, path: &str, headers: &HeaderMap) -> (Option<Response>, String) {
    let (behaviour, generated_at) = {
        let mut shared = shared.lock().expect("lock");
        shared.traffic.record(path, headers);
        (shared.behaviour.clone(), shared.generated_at.clone())
    };
    match behaviour {
        Behaviour::Serve => (None, generated_at),
        Behaviour::Slow(delay) => {
            shared.lock().expect("lock").traffic.begin();
            tokio::time::sleep(delay).await;
            shared.lock().expect("lock").traffic.end();
            (None, generated_at)
        }
        Behaviour::Malformed => {
            let body =
                r#"{"schema_version":"1.2.1","generated_at":"2025-06-01T00:00:00+00:00","result":{"name":"#;
            (Some(([(header::CONTENT_TYPE, "application/json")], body).into_response()), generated_at)
        }
    }
}

async fn full(State(shared): State<Arc<Mutex<Shared>>>, headers: HeaderMap) -> Response {
    let (early, generated_at) = prelude(&shared, "full", &headers).await;
    if let Some(response) = early {
        return response;
    }
    let mut dump = fixture();
    dump["generated_at"] = Value::String(generated_at);
    json_response(&dump)
}

async fn product(
    State(shared): State<Arc<Mutex<Shared>>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (early, generated_at) = prelude(&shared, &name, &headers).await;
    if let Some(response) = early {
        return response;
    }
    let dump = fixture();
    let found = dump["result"].as_array().and_then(|all| all.iter().find(|p| p["name"] == name.as_str()));
    match found {
        Some(product) => json_response(&json!({
            "schema_version": dump["schema_version"],
            "generated_at": generated_at,
            "last_modified": generated_at,
            "result": product,
        })),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Page not found</body></html>",
        )
            .into_response(),
    }
}

fn json_response(value: &Value) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], value.to_string()).into_response()
}
