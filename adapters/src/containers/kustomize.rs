//! Kustomize `kustomization.yaml`: the images its `images:` overrides (`newName`, `newTag`,
//! `digest`) produce in the manifests of its resources.
//!
//! The resources (`resources`, `bases`, `components`: manifest files, or directories holding a
//! kustomization whose own overrides apply first) are read through [`FileAccess`]; remote
//! resources are not fetched (a problem says so). Every image an override changes is reported at
//! the override's line, with the image as written in the resource kept in a property. Images no
//! override touches are the Kubernetes adapter's to report, from the manifest files themselves.
//! Overrides are applied as Kustomize's image transformer does: an entry matches an image whose
//! name is the entry's `name`, with any tag or digest; a new tag drops the old digest and a new
//! digest drops the old tag.

use std::collections::HashSet;
use std::path::Path;

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::containers::collect::Collector;
use crate::containers::image::ImageFinding;
use crate::containers::kubernetes::{read_manifests, Container};
use crate::containers::paths::{directory_of, referenced_from};
use crate::containers::syntax_error;
use crate::containers::yaml::{Node, Stream};
use crate::finding::{Location, Parsed, Problem, Scope};

/// Property: the image as the resource writes it, before the override.
pub const ORIGINAL: &str = "shelflife:kustomize:original";
/// Property: where the resource writes the image (`base/deployment.yaml:12`).
pub const RESOURCE: &str = "shelflife:kustomize:resource";

/// The file names Kustomize looks for in a directory.
const KUSTOMIZATION_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// How deep kustomizations may include one another before the chain is taken for a loop.
const MAX_DEPTH: usize = 16;

/// Reads `kustomization.yaml` files.
pub struct KustomizeAdapter;

impl Adapter for KustomizeAdapter {
    fn name(&self) -> &'static str {
        "kustomize"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let stream = Stream::parse(text);
        let Some(document) = stream.documents().next() else {
            return Ok(Parsed::default());
        };
        let root = document.root.map_err(|error| syntax_error(file.display_path, &error))?;
        let mut walker = Walker { files, problems: Vec::new(), reading: HashSet::new() };
        let overrides = walker.overrides(&root, file.display_path);
        let mut collector = Collector::default();
        if !overrides.is_empty() {
            walker.reading.insert(file.display_path.to_owned());
            let directory = file.path.parent().unwrap_or(Path::new("."));
            let containers = walker.resources(&root, directory, file.display_path, 0);
            for included in containers {
                report(&mut collector, &overrides, &included, file.display_path);
            }
        }
        collector.problems(walker.problems);
        Ok(collector.finish())
    }
}

/// A container of a resource, with its image as included kustomizations made it.
struct Included {
    /// The container, its image as the resource writes it.
    container: Container,
    /// The image after the overrides of the kustomizations between the resource and here.
    image: String,
}

/// Applies the overrides to one container's image and reports it if one applied.
fn report(collector: &mut Collector, overrides: &[Override], included: &Included, path: &str) {
    let container = &included.container;
    let Some(original) = container.image.as_deref() else {
        return;
    };
    let Some((image, line)) = apply_all(overrides, &included.image) else {
        return;
    };
    let location = Location::line(path, line);
    let finding = container
        .with_properties(ImageFinding::new(&image, &image, Scope::Infrastructure, location))
        .with_property(ORIGINAL, original)
        .with_property(RESOURCE, container.location.to_string());
    collector.image(finding);
}

/// One entry of `images:`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Override {
    name: String,
    new_name: Option<String>,
    new_tag: Option<String>,
    digest: Option<String>,
    line: u32,
}

/// Applies every override in order; returns the result and the line of the last override that
/// matched, or `None` when none did.
fn apply_all(overrides: &[Override], image: &str) -> Option<(String, u32)> {
    let mut current = image.to_owned();
    let mut matched = None;
    for entry in overrides {
        if let Some(changed) = entry.apply(&current) {
            current = changed;
            matched = Some(entry.line);
        }
    }
    matched.map(|line| (current, line))
}

impl Override {
    /// The image after this override, `None` when it does not match.
    fn apply(&self, image: &str) -> Option<String> {
        if !matches_name(image, &self.name) {
            return None;
        }
        let (name, mut tag, mut digest) = split(image);
        let name = self.new_name.as_deref().unwrap_or(name);
        match (&self.new_tag, &self.digest) {
            (Some(new_tag), Some(new_digest)) => (tag, digest) = (new_tag, new_digest),
            (Some(new_tag), None) => (tag, digest) = (new_tag, ""),
            (None, Some(new_digest)) => (tag, digest) = ("", new_digest),
            (None, None) => {}
        }
        let mut result = name.to_owned();
        if !tag.is_empty() {
            result.push(':');
            result.push_str(tag);
        }
        if !digest.is_empty() {
            result.push('@');
            result.push_str(digest);
        }
        Some(result)
    }
}

/// Kustomize's match: the image is `name`, optionally followed by `:tag` and/or `@digest`.
fn matches_name(image: &str, name: &str) -> bool {
    let Some(rest) = image.strip_prefix(name) else {
        return false;
    };
    let is_tag_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '{' | '}' | '-');
    let (tag_part, digest_part) = match rest.split_once('@') {
        Some((tag, digest)) => (tag, Some(digest)),
        None => (rest, None),
    };
    let tag_ok =
        tag_part.is_empty() || tag_part.strip_prefix(':').is_some_and(|tag| tag.chars().all(is_tag_char));
    let digest_ok = digest_part.is_none_or(|digest| {
        digest.split_once(':').is_some_and(|(algorithm, value)| {
            algorithm.starts_with(|c: char| c.is_ascii_alphabetic())
                && algorithm.chars().all(|c| c.is_ascii_alphanumeric())
                && value.chars().all(is_tag_char)
        })
    });
    tag_ok && digest_ok
}

/// Kustomize's split of an image into name, tag and digest (a `:` or `@` before the first `/`
/// belongs to the registry).
fn split(image: &str) -> (&str, &str, &str) {
    let search_from = image.find('/').filter(|&slash| slash > 0).unwrap_or(0);
    let search = &image[search_from..];
    let at = search.find('@').map(|i| i + search_from);
    let colon = search.find(':').map(|i| i + search_from);
    match (colon, at) {
        (_, Some(at)) if colon.is_none_or(|colon| at < colon) => (&image[..at], "", &image[at + 1..]),
        (Some(colon), Some(at)) => (&image[..colon], &image[colon + 1..at], &image[at + 1..]),
        (Some(colon), None) => (&image[..colon], &image[colon + 1..], ""),
        _ => (image, "", ""),
    }
}

struct Walker<'f> {
    files: &'f dyn FileAccess,
    problems: Vec<Problem>,
    /// Display paths of the kustomizations being read (the chain of inclusion), against loops.
    reading: HashSet<String>,
}

impl Walker<'_> {
    fn problem(&mut self, location: Location, message: impl Into<String>) {
        self.problems.push(Problem { location, message: message.into() });
    }

    /// The `images:` entries of a kustomization.
    fn overrides(&mut self, root: &Node<'_>, path: &str) -> Vec<Override> {
        let mut overrides = Vec::new();
        for entry in root.get("images").map(|images| images.items()).unwrap_or_default() {
            let text = |key: &str| entry.get(key).and_then(|value| value.as_str()).map(str::to_owned);
            match text("name") {
                Some(name) => overrides.push(Override {
                    name,
                    new_name: text("newName"),
                    new_tag: text("newTag"),
                    digest: text("digest"),
                    line: entry.line(),
                }),
                None => self.problem(Location::line(path, entry.line()), "images entry has no name"),
            }
        }
        overrides
    }

    /// The containers of a kustomization's resources, each kustomization's overrides applied.
    fn resources(&mut self, root: &Node<'_>, directory: &Path, path: &str, depth: usize) -> Vec<Included> {
        let mut containers = Vec::new();
        let lists = ["resources", "bases", "components"];
        let entries = lists.iter().filter_map(|list| root.get(list)).flat_map(|list| list.items());
        for entry in entries {
            let Some(resource) = entry.as_str() else {
                continue;
            };
            let location = Location::line(path, entry.line());
            if is_remote(resource) {
                self.problem(
                    location,
                    format!("remote resource {resource:?} is not fetched; its images are not read"),
                );
                continue;
            }
            let target = referenced_from(directory, directory_of(path), resource);
            match self.files.read(&target.path) {
                Ok(bytes) => containers.extend(self.manifest(&bytes, &target.display)),
                Err(_) => containers.extend(self.directory(&target.path, &target.display, location, depth)),
            }
        }
        containers
    }

    fn manifest(&mut self, bytes: &[u8], display: &str) -> Vec<Included> {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                let manifests = read_manifests(text, display);
                self.problems.extend(manifests.problems);
                let with_image = manifests.containers.into_iter().filter_map(|container| {
                    let image = container.image.clone()?;
                    Some(Included { container, image })
                });
                with_image.collect()
            }
            Err(_) => {
                self.problem(Location::file(display), "not valid UTF-8 text");
                Vec::new()
            }
        }
    }

    /// A resource directory: the kustomization in it, with its own overrides applied.
    fn directory(
        &mut self,
        directory: &Path,
        display: &str,
        location: Location,
        depth: usize,
    ) -> Vec<Included> {
        let found = KUSTOMIZATION_NAMES.iter().find_map(|name| {
            let file = referenced_from(directory, display, name);
            self.files.read(&file.path).ok().map(|bytes| (file, bytes))
        });
        let Some((file, bytes)) = found else {
            let message =
                format!("resource {display} is neither a file nor a directory with a kustomization");
            self.problem(location, message);
            return Vec::new();
        };
        if depth >= MAX_DEPTH || self.reading.contains(&file.display) {
            self.problem(location, format!("{} includes itself; the loop is not followed", file.display));
            return Vec::new();
        }
        self.reading.insert(file.display.clone());
        let containers = self.kustomization(&bytes, &file.display, directory, depth);
        self.reading.remove(&file.display);
        containers
    }

    /// The containers of an included kustomization's resources, its overrides applied.
    fn kustomization(
        &mut self,
        bytes: &[u8],
        display: &str,
        directory: &Path,
        depth: usize,
    ) -> Vec<Included> {
        let Ok(text) = std::str::from_utf8(bytes) else {
            self.problem(Location::file(display), "not valid UTF-8 text");
            return Vec::new();
        };
        let stream = Stream::parse(text);
        let Some(root) = stream.documents().next().and_then(|document| match document.root {
            Ok(root) => Some(root),
            Err(error) => {
                let error = syntax_error(display, &error);
                self.problem(error.location, error.message);
                None
            }
        }) else {
            return Vec::new();
        };
        let overrides = self.overrides(&root, display);
        let mut containers = self.resources(&root, directory, display, depth + 1);
        for included in &mut containers {
            if let Some((image, _)) = apply_all(&overrides, &included.image) {
                included.image = image;
            }
        }
        containers
    }
}

/// A resource Kustomize would fetch: a URL or a Git repository path.
fn is_remote(resource: &str) -> bool {
    resource.contains("://") || resource.starts_with("git@") || resource.starts_with("github.com/")
}

#[cfg(test)]
mod tests;
