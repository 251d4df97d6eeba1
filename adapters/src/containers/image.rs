//! One use of a container image reference in a file, turned into a finding.
//!
//! Every adapter that meets an image reference (Dockerfile `FROM`, compose `image:`, a pod's
//! `containers[].image`, a CI job's `container:`) reports it the same way: a component of kind
//! [`ComponentKind::Container`] named as the Docker CLI shows it, versioned by its tag (or digest),
//! with its purl, its digest as a hash, and these properties:
//!
//! | property | value |
//! |---|---|
//! | `shelflife:image:reference` | the normalised reference (`docker.io/library/nginx:latest`), or the text as written when it cannot be resolved |
//! | `shelflife:image:pinned` | `digest`, `tag` or `none` |
//! | `shelflife:image:tag-implied` | `true` when no tag was written and `latest` is implied |
//! | `shelflife:image:written` | the text as written, when variables were substituted in it |
//! | `shelflife:image:unresolved` | `true` when the reference could not be resolved (a [`Problem`] says why) |
//!
//! Adapters add their own (`shelflife:image:platform`, `shelflife:image:delivered-base`, …).
//! A reference that cannot be resolved is still reported, under the text as written: a
//! component is never dropped.

use std::fmt;

use crate::finding::{ComponentKind, Finding, Location, Problem, Scope};
use crate::image_ref::ImageRef;

/// Property: the normalised reference.
pub const REFERENCE: &str = "shelflife:image:reference";
/// Property: how firmly the reference fixes the image (`digest`, `tag`, `none`).
pub const PINNED: &str = "shelflife:image:pinned";
/// Property: `true` when the tag `latest` is implied.
pub const TAG_IMPLIED: &str = "shelflife:image:tag-implied";
/// Property: the reference as written, before variable substitution.
pub const WRITTEN: &str = "shelflife:image:written";
/// Property: `true` when the reference could not be resolved.
pub const UNRESOLVED: &str = "shelflife:image:unresolved";
/// Property: the platform the image is pulled for (`linux/amd64`).
pub const PLATFORM: &str = "shelflife:image:platform";
/// Property: `true` on the base image of the stage a Dockerfile delivers.
pub const DELIVERED_BASE: &str = "shelflife:image:delivered-base";

/// A finding for one image reference, and the problem with it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFinding {
    /// The component.
    pub finding: Finding,
    /// Why the reference could not be resolved, when it could not.
    pub problem: Option<Problem>,
}

impl ImageFinding {
    /// The finding for a reference found at `location`. `written` is the text as the file has
    /// it, `expanded` the same after variable substitution (equal to `written` where there was
    /// none). An invalid reference gives an unresolved finding and a problem.
    pub fn new(written: &str, expanded: &str, scope: Scope, location: Location) -> Self {
        match ImageRef::parse(expanded) {
            Ok(image) => {
                Self { finding: resolved_finding(&image, written, expanded, scope, location), problem: None }
            }
            Err(error) => Self::unresolved(written, scope, location, error),
        }
    }

    /// The finding for a reference that cannot be resolved (a variable without value, an
    /// invalid reference), reported under the text as written, with a problem saying `why`.
    pub fn unresolved(written: &str, scope: Scope, location: Location, why: impl fmt::Display) -> Self {
        let mut finding = Finding::new(
            key(&location, written),
            ComponentKind::Container,
            written,
            None,
            scope,
            location.clone(),
        );
        finding.properties.insert(REFERENCE.to_owned(), written.to_owned());
        finding.properties.insert(UNRESOLVED.to_owned(), "true".to_owned());
        let message = format!("image reference {written:?} is not resolved: {why}");
        Self { finding, problem: Some(Problem { location, message }) }
    }

    /// Sets a property on the finding.
    pub fn with_property(mut self, name: &str, value: impl Into<String>) -> Self {
        self.finding.properties.insert(name.to_owned(), value.into());
        self
    }
}

fn resolved_finding(
    image: &ImageRef,
    written: &str,
    expanded: &str,
    scope: Scope,
    location: Location,
) -> Finding {
    let normalised = image.to_string();
    let mut finding = Finding::new(
        key(&location, &normalised),
        ComponentKind::Container,
        image.familiar_name(),
        Some(image.version()),
        scope,
        location,
    );
    finding.purl = image.purl();
    finding.hashes.extend(image.digest().map(|digest| digest.to_hash()));
    finding.properties.insert(REFERENCE.to_owned(), normalised);
    finding.properties.insert(PINNED.to_owned(), image.pinning().as_str().to_owned());
    if image.is_tag_implied() {
        finding.properties.insert(TAG_IMPLIED.to_owned(), "true".to_owned());
    }
    if written != expanded {
        finding.properties.insert(WRITTEN.to_owned(), written.to_owned());
    }
    finding
}

/// A key unique within one file's findings for one use: the place and the reference.
fn key(location: &Location, reference: &str) -> String {
    format!("{location}:{reference}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolved_reference_becomes_a_container_component() {
        let built =
            ImageFinding::new("nginx", "nginx", Scope::Infrastructure, Location::line("Dockerfile", 3));
        assert_eq!(built.problem, None);
        let finding = built.finding;
        assert_eq!(finding.kind, ComponentKind::Container);
        assert_eq!(finding.name, "nginx");
        assert_eq!(finding.version.as_deref(), Some("latest"));
        assert_eq!(finding.purl.as_deref(), Some("pkg:docker/library/nginx@latest"));
        assert_eq!(finding.key, "Dockerfile:3:docker.io/library/nginx:latest");
        assert_eq!(finding.properties[REFERENCE], "docker.io/library/nginx:latest");
        assert_eq!(finding.properties[PINNED], "none");
        assert_eq!(finding.properties[TAG_IMPLIED], "true");
        assert!(!finding.properties.contains_key(WRITTEN));
    }

    #[test]
    fn substituted_reference_keeps_the_written_text_and_the_digest_as_hash() {
        let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let expanded = format!("ghcr.io/org/app:1.0@{digest}");
        let built = ImageFinding::new("${APP}", &expanded, Scope::Build, Location::line("compose.yaml", 9));
        let finding = built.finding;
        assert_eq!(finding.properties[WRITTEN], "${APP}");
        assert_eq!(finding.properties[PINNED], "digest");
        assert_eq!(finding.version.as_deref(), Some("1.0"));
        assert_eq!(finding.hashes.len(), 1);
        assert_eq!(finding.name, "ghcr.io/org/app");
    }

    #[test]
    fn invalid_reference_is_reported_unresolved_with_a_problem() {
        let built = ImageFinding::new("Nginx", "Nginx", Scope::Infrastructure, Location::line("k.yaml", 4));
        assert_eq!(built.finding.name, "Nginx");
        assert_eq!(built.finding.purl, None);
        assert_eq!(built.finding.properties[UNRESOLVED], "true");
        let problem = built.problem.unwrap();
        assert_eq!(problem.location, Location::line("k.yaml", 4));
        assert!(problem.message.contains("must be lowercase"), "{}", problem.message);
    }
}
