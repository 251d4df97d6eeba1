use super::*;
use crate::licence::registry::test_server::{closed_base_url, Reply, TestServer};

fn package(registry: Registry, name: &str, version: &str) -> Package {
    Package { registry, name: name.into(), version: version.into() }
}

fn found(lookup: Result<Lookup, LookupError>) -> Vec<String> {
    match lookup {
        Ok(Lookup::Found { licences, .. }) => licences,
        other => panic!("not found: {other:?}"),
    }
}

#[tokio::test]
async fn each_registry_is_asked_at_its_own_path_naming_shelflife() {
    let server = TestServer::start();
    let client = LookupClient::new(server.config()).unwrap();
    let babel = client.lookup(&package(Registry::Npm, "@babel/core", "7.24.0")).await;
    assert_eq!(found(babel), ["MIT"]);
    assert_eq!(server.requests("/npm/@babel/core/7.24.0"), 1);
    assert_eq!(found(client.lookup(&package(Registry::PyPi, "requests", "2.34.2")).await), ["Apache-2.0"]);
    assert_eq!(
        found(client.lookup(&package(Registry::Crates, "serde", "1.0.200")).await),
        ["MIT OR Apache-2.0"]
    );
    let ring = client.lookup(&package(Registry::Crates, "ring", "0.16.20")).await.unwrap();
    assert!(matches!(ring, Lookup::NoLicence { .. }), "{ring:?}");
    let agent = format!("shelflife/{} (licence look-ups)", env!("CARGO_PKG_VERSION"));
    assert_eq!(server.user_agents(), vec![agent; 4]);
}

#[tokio::test]
async fn a_404_is_not_in_the_registry_and_is_not_asked_again() {
    let server = TestServer::start();
    let client = LookupClient::new(server.config()).unwrap();
    for (registry, path) in [
        (Registry::Npm, "/npm/nothing-here/1.0.0"),
        (Registry::PyPi, "/pypi/pypi/nothing-here/1.0.0/json"),
        (Registry::Crates, "/crates/api/v1/crates/nothing-here/1.0.0"),
    ] {
        let lookup = client.lookup(&package(registry, "nothing-here", "1.0.0")).await.unwrap();
        assert!(matches!(&lookup, Lookup::NotInRegistry { url } if url.ends_with(path)), "{lookup:?}");
        assert_eq!(server.requests(path), 1, "{path}");
    }
}

#[tokio::test]
async fn a_server_error_is_retried_until_an_answer_comes() {
    let server = TestServer::start();
    server.script("/npm/left-pad/1.3.0", vec![Reply::Status(500), Reply::Status(503)]);
    let client = LookupClient::new(server.config()).unwrap();
    assert_eq!(found(client.lookup(&package(Registry::Npm, "left-pad", "1.3.0")).await), ["WTFPL"]);
    assert_eq!(server.requests("/npm/left-pad/1.3.0"), 3);
}

#[tokio::test]
async fn a_server_error_that_persists_is_reported_after_the_retries() {
    let server = TestServer::start();
    server.script("/npm/left-pad/1.3.0", vec![Reply::Status(500); 3]);
    let client = LookupClient::new(server.config()).unwrap();
    let error = client.lookup(&package(Registry::Npm, "left-pad", "1.3.0")).await.unwrap_err();
    assert!(matches!(error, LookupError::Status { status: 500, .. }), "{error}");
    assert!(error.to_string().ends_with("/npm/left-pad/1.3.0 answered HTTP 500"), "{error}");
    assert_eq!(server.requests("/npm/left-pad/1.3.0"), 3);
}

#[tokio::test]
async fn a_client_error_other_than_404_is_not_retried() {
    let server = TestServer::start();
    server.script("/crates/api/v1/crates/serde/1.0.200", vec![Reply::Status(403)]);
    let client = LookupClient::new(server.config()).unwrap();
    let error = client.lookup(&package(Registry::Crates, "serde", "1.0.200")).await.unwrap_err();
    assert!(matches!(error, LookupError::Status { status: 403, .. }), "{error}");
    assert_eq!(server.requests("/crates/api/v1/crates/serde/1.0.200"), 1);
}

#[tokio::test]
async fn malformed_json_is_an_error_showing_the_answer_and_is_not_retried() {
    let server = TestServer::start();
    server.script("/pypi/pypi/six/1.17.0/json", vec![Reply::Malformed]);
    let client = LookupClient::new(server.config()).unwrap();
    let error = client.lookup(&package(Registry::PyPi, "six", "1.17.0")).await.unwrap_err();
    assert!(matches!(error, LookupError::Malformed { .. }), "{error}");
    assert!(
        error.to_string().contains(r#"the answer starts with `{"info": {"license": "MIT", "classif`"#),
        "{error}"
    );
    assert_eq!(server.requests("/pypi/pypi/six/1.17.0/json"), 1);
}

#[tokio::test]
async fn an_answer_slower_than_the_timeout_times_out() {
    let server = TestServer::start();
    let config = LookupConfig { retries: 1, ..server.config() };
    server.script("/npm/left-pad/1.3.0", vec![Reply::Slow(Duration::from_secs(2)); 2]);
    let client = LookupClient::new(config).unwrap();
    let error = client.lookup(&package(Registry::Npm, "left-pad", "1.3.0")).await.unwrap_err();
    assert!(matches!(error, LookupError::TimedOut { .. }), "{error}");
    assert!(error.to_string().contains("did not answer within 500ms"), "{error}");
    assert_eq!(server.requests("/npm/left-pad/1.3.0"), 2, "a timeout is retried");
}

#[tokio::test]
async fn an_unreachable_registry_is_reported_and_not_asked_again_in_the_run() {
    let server = TestServer::start();
    let config = LookupConfig { npm: closed_base_url(), ..server.config() };
    let client = LookupClient::new(config).unwrap();
    let error = client.lookup(&package(Registry::Npm, "left-pad", "1.3.0")).await.unwrap_err();
    assert!(matches!(error, LookupError::Unreachable { .. }), "{error}");
    let started = std::time::Instant::now();
    let again = client.lookup(&package(Registry::Npm, "other", "1.0.0")).await.unwrap_err();
    assert!(matches!(again, LookupError::NotAsked { registry: Registry::Npm, .. }), "{again}");
    assert!(again.to_string().contains("not asked: npm could not be reached earlier in this run"), "{again}");
    assert!(started.elapsed() < Duration::from_millis(10), "no retries, no backoff");
    assert_eq!(
        found(client.lookup(&package(Registry::Crates, "serde", "1.0.200")).await),
        ["MIT OR Apache-2.0"],
        "other registries are still asked"
    );
}

#[tokio::test]
async fn many_packages_are_asked_once_each_with_a_bounded_number_in_flight() {
    let server = TestServer::start();
    server.set_delay(Duration::from_millis(60));
    let client = LookupClient::new(server.config()).unwrap();
    let mut packages: Vec<Package> =
        (0..12).map(|i| package(Registry::Npm, &format!("p{i}"), "1.0.0")).collect();
    packages.push(package(Registry::Npm, "p3", "1.0.0"));
    let results = client.lookup_all(&packages).await;
    assert_eq!(results.len(), 12);
    assert!(results.iter().all(|(_, r)| matches!(r, Ok(Lookup::NotInRegistry { .. }))));
    assert_eq!(server.total_requests(), 12);
    let peak = server.peak_in_flight();
    assert!((2..=4).contains(&peak), "peak in flight {peak}");
}
