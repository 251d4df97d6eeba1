use super::*;

const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// One valid reference and everything it must normalise to.
struct Valid {
    input: &'static str,
    normalised: &'static str,
    familiar: &'static str,
    pinning: Pinning,
    purl: &'static str,
}

fn valid_cases() -> Vec<Valid> {
    let v = |input, normalised, familiar, pinning, purl| Valid { input, normalised, familiar, pinning, purl };
    use Pinning::{Digest as D, None as N, Tag as T};
    vec![
        v("nginx", "docker.io/library/nginx:latest", "nginx", N, "pkg:docker/library/nginx@latest"),
        v("nginx:1.25", "docker.io/library/nginx:1.25", "nginx", T, "pkg:docker/library/nginx@1.25"),
        v("nginx:latest", "docker.io/library/nginx:latest", "nginx", T, "pkg:docker/library/nginx@latest"),
        v(
            "nginx:1.25-alpine",
            "docker.io/library/nginx:1.25-alpine",
            "nginx",
            T,
            "pkg:docker/library/nginx@1.25-alpine",
        ),
        v("library/nginx", "docker.io/library/nginx:latest", "nginx", N, "pkg:docker/library/nginx@latest"),
        v(
            "docker.io/library/nginx:1.25",
            "docker.io/library/nginx:1.25",
            "nginx",
            T,
            "pkg:docker/library/nginx@1.25",
        ),
        v("docker.io/nginx", "docker.io/library/nginx:latest", "nginx", N, "pkg:docker/library/nginx@latest"),
        v(
            "index.docker.io/library/redis:7.2",
            "docker.io/library/redis:7.2",
            "redis",
            T,
            "pkg:docker/library/redis@7.2",
        ),
        v(
            "rabbitmq:3.12-management",
            "docker.io/library/rabbitmq:3.12-management",
            "rabbitmq",
            T,
            "pkg:docker/library/rabbitmq@3.12-management",
        ),
        v(
            "grafana/grafana:10.4.2",
            "docker.io/grafana/grafana:10.4.2",
            "grafana/grafana",
            T,
            "pkg:docker/grafana/grafana@10.4.2",
        ),
        v(
            "rancher/k3s:v1.28.5-k3s1",
            "docker.io/rancher/k3s:v1.28.5-k3s1",
            "rancher/k3s",
            T,
            "pkg:docker/rancher/k3s@v1.28.5-k3s1",
        ),
        v(
            "bitnami/charts/redis:7",
            "docker.io/bitnami/charts/redis:7",
            "bitnami/charts/redis",
            T,
            "pkg:docker/bitnami/charts/redis@7",
        ),
        v(
            "quay.io/keycloak/keycloak:24.0",
            "quay.io/keycloak/keycloak:24.0",
            "quay.io/keycloak/keycloak",
            T,
            "pkg:oci/keycloak?repository_url=quay.io%2Fkeycloak%2Fkeycloak&tag=24.0",
        ),
        v(
            "localhost:5000/app",
            "localhost:5000/app:latest",
            "localhost:5000/app",
            N,
            "pkg:oci/app?repository_url=localhost:5000%2Fapp&tag=latest",
        ),
        v("localhost/app:1", "localhost/app:1", "localhost/app", T, "pkg:oci/app?repository_url=localhost%2Fapp&tag=1"),
        v(
            "registry.example.com:443/team/sub/app:2.0",
            "registry.example.com:443/team/sub/app:2.0",
            "registry.example.com:443/team/sub/app",
            T,
            "pkg:oci/app?repository_url=registry.example.com:443%2Fteam%2Fsub%2Fapp&tag=2.0",
        ),
        v(
            "[::1]:5000/app:dev",
            "[::1]:5000/app:dev",
            "[::1]:5000/app",
            T,
            "pkg:oci/app?repository_url=%5B::1%5D:5000%2Fapp&tag=dev",
        ),
        v(
            "Registry.Example.com/app",
            "Registry.Example.com/app:latest",
            "Registry.Example.com/app",
            N,
            "pkg:oci/app?repository_url=Registry.Example.com%2Fapp&tag=latest",
        ),
        v(
            "UPPER/app",
            "UPPER/app:latest",
            "UPPER/app",
            N,
            "pkg:oci/app?repository_url=UPPER%2Fapp&tag=latest",
        ),
        v(
            "ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "ghcr.io/org/app",
            D,
            "pkg:oci/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\
             ?repository_url=ghcr.io%2Forg%2Fapp",
        ),
        v(
            "ghcr.io/org/app:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "ghcr.io/org/app:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "ghcr.io/org/app",
            D,
            "pkg:oci/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\
             ?repository_url=ghcr.io%2Forg%2Fapp&tag=1.0",
        ),
        v(
            "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "docker.io/library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "nginx",
            D,
            "pkg:docker/library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ),
        v(
            "python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "docker.io/library/python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "python",
            D,
            "pkg:docker/library/python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\
             ?tag=3.12-slim",
        ),
        v(
            "gcr.io/distroless/static-debian12:nonroot",
            "gcr.io/distroless/static-debian12:nonroot",
            "gcr.io/distroless/static-debian12",
            T,
            "pkg:oci/static-debian12?repository_url=gcr.io%2Fdistroless%2Fstatic-debian12&tag=nonroot",
        ),
        v(
            "mcr.microsoft.com/dotnet/aspnet:8.0",
            "mcr.microsoft.com/dotnet/aspnet:8.0",
            "mcr.microsoft.com/dotnet/aspnet",
            T,
            "pkg:oci/aspnet?repository_url=mcr.microsoft.com%2Fdotnet%2Faspnet&tag=8.0",
        ),
        // A name with a port but no slash is a Docker Hub image with a numeric tag, as in Docker.
        v("localhost:5000", "docker.io/library/localhost:5000", "localhost", T, "pkg:docker/library/localhost@5000"),
        // `.` in a later component is part of the path, not a registry.
        v(
            "foo/foo_bar.com:8080",
            "docker.io/foo/foo_bar.com:8080",
            "foo/foo_bar.com",
            T,
            "pkg:docker/foo/foo_bar.com@8080",
        ),
        v(
            "b.gcr.io/test.example.com/my-app:test.example.com",
            "b.gcr.io/test.example.com/my-app:test.example.com",
            "b.gcr.io/test.example.com/my-app",
            T,
            "pkg:oci/my-app?repository_url=b.gcr.io%2Ftest.example.com%2Fmy-app&tag=test.example.com",
        ),
        v("a__b--c.d_e:T_1", "docker.io/library/a__b--c.d_e:T_1", "a__b--c.d_e", T, "pkg:docker/library/a__b--c.d_e@T_1"),
        v(
            "xn--7o8h.com/myimage:xn--7o8h.com",
            "xn--7o8h.com/myimage:xn--7o8h.com",
            "xn--7o8h.com/myimage",
            T,
            "pkg:oci/myimage?repository_url=xn--7o8h.com%2Fmyimage&tag=xn--7o8h.com",
        ),
    ]
}

#[test]
fn valid_references_normalise_as_the_docker_cli_does() {
    let cases = valid_cases();
    assert!(cases.len() >= 30, "the table keeps at least 30 valid references");
    for case in cases {
        let parsed = ImageRef::parse(case.input).unwrap_or_else(|e| panic!("{}: {e}", case.input));
        assert_eq!(parsed.to_string(), case.normalised, "normalised form of {}", case.input);
        assert_eq!(parsed.familiar_name(), case.familiar, "familiar name of {}", case.input);
        assert_eq!(parsed.pinning(), case.pinning, "pinning of {}", case.input);
        assert_eq!(parsed.purl().as_deref(), Some(case.purl), "purl of {}", case.input);
        let again = ImageRef::parse(case.normalised).unwrap_or_else(|e| panic!("{}: {e}", case.normalised));
        assert_eq!(again.to_string(), case.normalised, "normalising is idempotent for {}", case.input);
    }
}

fn invalid_cases() -> Vec<(String, Reason)> {
    let long_tag = "a".repeat(129);
    let long_name = format!("{}/app", "a".repeat(252));
    let fixed = vec![
        ("", Reason::Empty),
        ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", Reason::ImageId),
        ("Nginx", Reason::Uppercase("library/Nginx".into())),
        ("nginx/Web", Reason::Uppercase("nginx/Web".into())),
        ("quay.io/Keycloak/keycloak", Reason::Uppercase("Keycloak/keycloak".into())),
        ("nginx:", Reason::Tag(String::new())),
        ("nginx:-1", Reason::Tag("-1".into())),
        ("nginx:.1", Reason::Tag(".1".into())),
        ("nginx:1.25 ", Reason::Tag("1.25 ".into())),
        (" nginx", Reason::PathComponent(" nginx".into())),
        ("nginx:${TAG}", Reason::Tag("${TAG}".into())),
        ("python:${PY_VERSION}-slim", Reason::Tag("${PY_VERSION}-slim".into())),
        ("${REGISTRY}/app", Reason::Registry("${REGISTRY}".into())),
        ("-nginx", Reason::PathComponent("-nginx".into())),
        ("nginx-", Reason::PathComponent("nginx-".into())),
        ("a..b", Reason::PathComponent("a..b".into())),
        ("a___b", Reason::PathComponent("a___b".into())),
        ("a._b", Reason::PathComponent("a._b".into())),
        ("org//app", Reason::PathComponent(String::new())),
        ("quay.io/", Reason::PathComponent(String::new())),
        ("_/x:_", Reason::PathComponent("_".into())),
        ("-registry.io/app", Reason::Registry("-registry.io".into())),
        ("registry..io/app", Reason::Registry("registry..io".into())),
        ("registry.io:port/app", Reason::Registry("registry.io:port".into())),
        ("registry.io:/app", Reason::Registry("registry.io:".into())),
        ("[zz::1]:5000/app", Reason::Registry("[zz::1]:5000".into())),
        ("nginx@sha256", Reason::DigestFormat),
        ("nginx@:abc", Reason::DigestFormat),
        ("nginx@sha256:", Reason::DigestFormat),
        ("nginx@sha256:abc", Reason::DigestLength { algorithm: "sha256", expected: 64 }),
        ("nginx@md5:0123456789abcdef0123456789abcdef", Reason::DigestAlgorithm("md5".into())),
        ("nginx@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", Reason::DigestHex),
        ("nginx@sha256:0123@sha256:4567", Reason::DigestHex),
        ("nginx:1.25@", Reason::DigestFormat),
        ("nginx:1.2:3", Reason::PathComponent("nginx:1.2".into())),
        ("https://registry.io/app", Reason::Registry("https:".into())),
    ];
    let generated = [(format!("nginx:{long_tag}"), Reason::Tag(long_tag)), (long_name, Reason::NameTooLong)];
    fixed.into_iter().map(|(input, reason)| (input.to_owned(), reason)).chain(generated).collect()
}

#[test]
fn invalid_references_are_errors_with_the_reason() {
    let cases = invalid_cases();
    assert!(cases.len() >= 30, "the table keeps at least 30 invalid references");
    for (input, reason) in cases {
        match ImageRef::parse(&input) {
            Ok(parsed) => panic!("{input:?} parsed as {parsed}"),
            Err(error) => {
                assert_eq!(error.reason, reason, "reason for {input:?}");
                assert_eq!(error.reference, input);
            }
        }
    }
}

#[test]
fn error_message_names_the_reference_and_the_reason() {
    let error = ImageRef::parse("Nginx:1").map(|r| r.to_string()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid image reference \"Nginx:1\": repository name \"library/Nginx\" must be lowercase"
    );
}

#[test]
fn accessors_split_the_reference() {
    let parsed: ImageRef = format!("ghcr.io/org/app:1.0@{SHA}").parse().unwrap();
    assert_eq!(parsed.registry(), "ghcr.io");
    assert_eq!(parsed.repository(), "org/app");
    assert_eq!(parsed.name(), "ghcr.io/org/app");
    assert_eq!(parsed.tag(), Some("1.0"));
    assert_eq!(parsed.effective_tag(), Some("1.0"));
    assert!(!parsed.is_tag_implied());
    assert_eq!(parsed.version(), "1.0");
    let digest = parsed.digest().unwrap();
    assert_eq!(digest.algorithm(), DigestAlgorithm::Sha256);
    assert_eq!(digest.to_string(), SHA);
    assert_eq!(
        digest.to_hash(),
        Hash { algorithm: HashAlgorithm::Sha256, value: SHA.trim_start_matches("sha256:").into() }
    );
}

#[test]
fn implied_latest_is_reported_as_implied() {
    let parsed = ImageRef::parse("nginx").unwrap();
    assert_eq!(parsed.tag(), None);
    assert_eq!(parsed.effective_tag(), Some(IMPLIED_TAG));
    assert!(parsed.is_tag_implied());
    assert_eq!(parsed.pinning(), Pinning::None);
    let written = ImageRef::parse("nginx:latest").unwrap();
    assert!(!written.is_tag_implied());
    assert_eq!(written.pinning(), Pinning::Tag);
}

#[test]
fn digest_only_reference_has_no_tag_and_versions_by_digest() {
    let parsed = ImageRef::parse(&format!("quay.io/org/app@{SHA}")).unwrap();
    assert_eq!(parsed.effective_tag(), None);
    assert!(!parsed.is_tag_implied());
    assert_eq!(parsed.version(), SHA);
}

#[test]
fn sha384_and_sha512_digests_are_accepted() {
    let sha384 = format!("app@sha384:{}", "a".repeat(96));
    let sha512 = format!("app@sha512:{}", "b".repeat(128));
    assert_eq!(ImageRef::parse(&sha384).unwrap().digest().unwrap().algorithm(), DigestAlgorithm::Sha384);
    assert_eq!(
        ImageRef::parse(&sha512).unwrap().digest().unwrap().to_hash().algorithm,
        HashAlgorithm::Sha512
    );
    let short = format!("app@sha512:{}", "b".repeat(64));
    assert_eq!(
        ImageRef::parse(&short).unwrap_err().reason,
        Reason::DigestLength { algorithm: "sha512", expected: 128 }
    );
}

#[test]
fn pinning_names_are_stable() {
    assert_eq!(Pinning::Digest.to_string(), "digest");
    assert_eq!(Pinning::Tag.as_str(), "tag");
    assert_eq!(Pinning::None.as_str(), "none");
}
