//! Helm charts: `Chart.yaml` (the chart itself, its `appVersion`, its dependencies with their
//! chart repositories, at the versions `Chart.lock` pins when it is there) and values files
//! (`values.yaml`, `values-*.yaml`), whose images are found wherever they are nested, in the
//! usual shapes:
//!
//! ```yaml
//! image: nginx:1.25                 # a reference
//! image:                            # split, Bitnami style
//!   registry: docker.io             # optional; `global.imageRegistry` takes precedence
//!   repository: bitnami/redis
//!   tag: 7.2.4-debian-12-r9         # empty: the chart's appVersion, as most templates do
//!   digest: ""                      # optional
//! initImage: busybox:1.36           # keys ending in `Image` too
//! ```
//!
//! An empty tag takes the chart's `appVersion` (said in `shelflife:helm:tag-from`) only for
//! the chart's own images: a subchart's section (`redis.image` when `redis` is a dependency)
//! is completed by the subchart's templates, which this chart does not show, so such an image
//! is reported unresolved, as is one without a `Chart.yaml` beside its values file.

use std::collections::HashMap;

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::containers::collect::Collector;
use crate::containers::image::ImageFinding;
use crate::containers::syntax_error;
use crate::containers::yaml::{Node, Stream};
use crate::finding::{ComponentKind, Finding, Location, Parsed, Role, Scope};

/// Property: the chart's `appVersion`.
pub const APP_VERSION: &str = "shelflife:helm:app-version";
/// Property: the chart's `type` (`application` or `library`).
pub const CHART_TYPE: &str = "shelflife:helm:chart-type";
/// Property: a dependency's chart repository (`https://…`, `oci://…`, `file://…`).
pub const REPOSITORY: &str = "shelflife:helm:repository";
/// Property: a dependency's version constraint as `Chart.yaml` writes it.
pub const VERSION_CONSTRAINT: &str = "shelflife:helm:version-constraint";
/// Property: `true` when a dependency's version is the one `Chart.lock` pins.
pub const LOCKED: &str = "shelflife:helm:locked";
/// Property: a dependency's alias.
pub const ALIAS: &str = "shelflife:helm:alias";
/// Property: a dependency's condition.
pub const CONDITION: &str = "shelflife:helm:condition";
/// Property: where in the values an image is (`redis.image`, `sidecars[0].image`).
pub const VALUES_PATH: &str = "shelflife:helm:values-path";
/// Property: `appVersion` when an empty tag was completed with the chart's `appVersion`.
pub const TAG_FROM: &str = "shelflife:helm:tag-from";
/// Property: `global.imageRegistry` when that value set the image's registry.
pub const REGISTRY_FROM: &str = "shelflife:helm:registry-from";

/// Reads `Chart.yaml` and values files.
pub struct HelmAdapter;

impl Adapter for HelmAdapter {
    fn name(&self) -> &'static str {
        "helm"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let stream = Stream::parse(text);
        let Some(document) = stream.documents().next() else {
            return Ok(Parsed::default());
        };
        let root = document.root.map_err(|error| syntax_error(file.display_path, &error))?;
        let mut collector = Collector::default();
        if file.path.file_name().is_some_and(|name| name == "Chart.yaml") {
            chart(&root, file, files, &mut collector);
        } else {
            let chart = ChartFacts::beside(file, files);
            let global_registry =
                root.path(&["global", "imageRegistry"]).and_then(|n| n.as_str()).filter(|r| !r.is_empty());
            let mut values =
                Values { path: file.display_path, chart, global_registry, collector: &mut collector };
            values.walk(&root, &mut Vec::new());
        }
        Ok(collector.finish())
    }
}

/// Reports the chart (the subject) and its dependencies.
fn chart(root: &Node<'_>, file: &SourceFile<'_>, files: &dyn FileAccess, collector: &mut Collector) {
    let text = |node: &Node<'_>, key: &str| node.get(key).and_then(|value| value.as_str()).map(str::to_owned);
    let location = |node: &Node<'_>| Location::line(file.display_path, node.line());
    let subject = match text(root, "name") {
        Some(name) => {
            let mut chart = Finding::new(
                "chart",
                ComponentKind::Application,
                name,
                text(root, "version"),
                Scope::Infrastructure,
                location(root),
            );
            chart.role = Role::Subject;
            chart.properties.extend(text(root, "appVersion").map(|v| (APP_VERSION.to_owned(), v)));
            chart.properties.extend(text(root, "type").map(|v| (CHART_TYPE.to_owned(), v)));
            Some(collector.finding(chart))
        }
        None => {
            collector.problem(location(root), "Chart.yaml has no name");
            None
        }
    };
    let locked = locked_versions(file, files);
    let mut edges = Vec::new();
    for dependency in root.get("dependencies").map(|d| d.items()).unwrap_or_default() {
        let Some(name) = text(&dependency, "name") else {
            collector.problem(location(&dependency), "dependency has no name");
            continue;
        };
        let constraint = text(&dependency, "version");
        let pinned = locked.get(&name).cloned();
        let alias = text(&dependency, "alias");
        let key = format!("dependency:{}", alias.as_deref().unwrap_or(&name));
        let version = pinned.clone().or_else(|| constraint.clone());
        let mut finding = Finding::new(
            key,
            ComponentKind::Application,
            name,
            version,
            Scope::Infrastructure,
            location(&dependency),
        );
        let properties = [
            (REPOSITORY, text(&dependency, "repository")),
            (VERSION_CONSTRAINT, constraint),
            (LOCKED, pinned.map(|_| "true".to_owned())),
            (ALIAS, alias),
            (CONDITION, text(&dependency, "condition")),
        ];
        for (property, value) in properties {
            finding.properties.extend(value.map(|value| (property.to_owned(), value)));
        }
        edges.push(collector.finding(finding));
    }
    if let Some(chart) = subject.and_then(|key| collector.get_mut(&key)) {
        chart.depends_on = edges;
    }
}

/// The dependency versions `Chart.lock` pins, by name; empty without a readable lock.
fn locked_versions(file: &SourceFile<'_>, files: &dyn FileAccess) -> HashMap<String, String> {
    let Ok(bytes) = files.read(&file.sibling("Chart.lock")) else {
        return HashMap::new();
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return HashMap::new();
    };
    let stream = Stream::parse(text);
    let Some(Ok(root)) = stream.documents().next().map(|document| document.root) else {
        return HashMap::new();
    };
    let dependencies = root.get("dependencies").map(|d| d.items()).unwrap_or_default();
    dependencies
        .iter()
        .filter_map(|dependency| {
            let name = dependency.get("name")?.as_str()?;
            let version = dependency.get("version")?.as_str()?;
            Some((name.to_owned(), version.to_owned()))
        })
        .collect()
}

/// What a values file needs from the `Chart.yaml` beside it.
#[derive(Default)]
struct ChartFacts {
    app_version: Option<String>,
    /// Names (or aliases) of the dependencies: the keys of their values sections.
    subcharts: Vec<String>,
    /// Whether there is a `Chart.yaml` at all.
    found: bool,
}

impl ChartFacts {
    fn beside(file: &SourceFile<'_>, files: &dyn FileAccess) -> Self {
        let Some(text) = files.read(&file.sibling("Chart.yaml")).ok().and_then(|b| String::from_utf8(b).ok())
        else {
            return Self::default();
        };
        let stream = Stream::parse(&text);
        let Some(Ok(root)) = stream.documents().next().map(|document| document.root) else {
            return Self { found: true, ..Self::default() };
        };
        let app_version = root.get("appVersion").and_then(|v| v.as_str()).map(str::to_owned);
        let subcharts = root
            .get("dependencies")
            .map(|d| d.items())
            .unwrap_or_default()
            .iter()
            .filter_map(|d| {
                d.get("alias").or_else(|| d.get("name")).and_then(|n| n.as_str()).map(str::to_owned)
            })
            .collect();
        Self { app_version, subcharts, found: true }
    }
}

struct Values<'v> {
    path: &'v str,
    chart: ChartFacts,
    global_registry: Option<&'v str>,
    collector: &'v mut Collector,
}

impl Values<'_> {
    /// Visits every mapping entry and sequence item, reporting images.
    fn walk(&mut self, node: &Node<'_>, path: &mut Vec<String>) {
        for (key, value) in node.entries() {
            path.push(key.to_string());
            if is_image_key(key) && self.image(&value, path) {
                path.pop();
                continue;
            }
            self.walk(&value, path);
            path.pop();
        }
        for (index, item) in node.items().into_iter().enumerate() {
            path.push(format!("[{index}]"));
            self.walk(&item, path);
            path.pop();
        }
    }

    /// Reports the image at `node` if it has one of the image shapes; returns whether it did.
    fn image(&mut self, node: &Node<'_>, path: &[String]) -> bool {
        if let Some(reference) = node.as_str() {
            if reference.is_empty() || matches!(reference, "true" | "false") {
                return false;
            }
            let image = ImageFinding::new(reference, reference, Scope::Infrastructure, self.location(node));
            self.collector.image(image.with_property(VALUES_PATH, dotted(path)));
            return true;
        }
        let Some(repository) = node.get("repository") else {
            return false;
        };
        let Some(repository_text) = repository.as_str() else {
            return false;
        };
        self.split_image(node, repository_text, &repository, path);
        true
    }

    fn split_image(
        &mut self,
        node: &Node<'_>,
        repository: &str,
        repository_node: &Node<'_>,
        path: &[String],
    ) {
        let text =
            |key: &str| node.get(key).and_then(|value| value.as_str()).filter(|value| !value.is_empty());
        let registry = self.global_registry.or_else(|| text("registry"));
        let tag = text("tag");
        let digest = text("digest");
        let location = self.location(repository_node);
        let mut reference = match registry {
            Some(registry) => format!("{registry}/{repository}"),
            None => repository.to_owned(),
        };
        let in_subchart = path.first().is_some_and(|top| self.chart.subcharts.contains(top));
        let mut tag_from_app_version = false;
        match (tag, digest, self.chart.app_version.as_deref()) {
            (Some(tag), _, _) => reference = format!("{reference}:{tag}"),
            (None, Some(_), _) => {}
            (None, None, Some(app_version)) if !in_subchart => {
                reference = format!("{reference}:{app_version}");
                tag_from_app_version = true;
            }
            (None, None, _) => {
                let why = self.why_no_tag(in_subchart, path);
                let image = ImageFinding::unresolved(&reference, Scope::Infrastructure, location, why);
                self.collector.image(image.with_property(VALUES_PATH, dotted(path)));
                return;
            }
        }
        if let Some(digest) = digest {
            reference = format!("{reference}@{digest}");
        }
        let mut image = ImageFinding::new(&reference, &reference, Scope::Infrastructure, location)
            .with_property(VALUES_PATH, dotted(path));
        if tag_from_app_version {
            image = image.with_property(TAG_FROM, "appVersion");
        }
        if self.global_registry.is_some() {
            image = image.with_property(REGISTRY_FROM, "global.imageRegistry");
        }
        self.collector.image(image);
    }

    fn why_no_tag(&self, in_subchart: bool, path: &[String]) -> String {
        let top = path.first().map(String::as_str).unwrap_or_default();
        if in_subchart {
            format!("the tag is empty and subchart {top:?} chooses it in its templates")
        } else if self.chart.found {
            "the tag is empty and Chart.yaml has no appVersion".to_owned()
        } else {
            "the tag is empty and there is no Chart.yaml beside the values file to give an appVersion"
                .to_owned()
        }
    }

    fn location(&self, node: &Node<'_>) -> Location {
        Location::line(self.path, node.line())
    }
}

/// A values path as Helm users write it: `redis.image`, `sidecars[0].image`.
fn dotted(path: &[String]) -> String {
    let mut dotted = String::new();
    for segment in path {
        if !dotted.is_empty() && !segment.starts_with('[') {
            dotted.push('.');
        }
        dotted.push_str(segment);
    }
    dotted
}

/// `image`, or a key ending in `Image` (`initImage`, `sidecarImage`).
fn is_image_key(key: &str) -> bool {
    key == "image" || key.ends_with("Image")
}

#[cfg(test)]
mod tests;
