//! Docker Compose files: the image of every service, and for a service built from a Dockerfile,
//! the built image (the project's own, role subject) with an edge to the base image of the stage
//! it builds.
//!
//! Values are substituted as Compose does (`${TAG:-8.0}`, `${TAG-8.0}`, `${TAG:?error}`, `$$`)
//! from the `.env` file beside the compose file. The shell environment is not read, so that a
//! scan gives the same result on every machine: a variable that only the environment would set
//! leaves its reference unresolved, with a problem naming it.
//!
//! The Dockerfile of a built service is read with the service's `build.args` and `build.target`.
//! Its images are reported here when they resolve (they merge, by purl, with what the Dockerfile
//! adapter reports from the same file); images that stay unresolved are left to the Dockerfile
//! adapter when it reads that file, so no component is reported twice.

use std::collections::HashMap;

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::containers::collect::Collector;
use crate::containers::dockerfile::{analyse, Build, DockerfileAdapter};
use crate::containers::image::{ImageFinding, PLATFORM, UNRESOLVED};
use crate::containers::interpolate::{expand, Expansion, Syntax};
use crate::containers::paths::{referenced, Referenced};
use crate::containers::yaml::{Node, Stream};
use crate::containers::{dotenv, syntax_error};
use crate::finding::{ComponentKind, Finding, Location, Parsed, Role, Scope};

/// Property: the compose service that runs or builds the image (several, comma-separated, when
/// services that `extends` another run the image written in it).
pub const SERVICE: &str = "shelflife:compose:service";
/// Property: the Dockerfile a service's image is built from (display path), or
/// `dockerfile_inline`.
pub const BUILT_FROM: &str = "shelflife:compose:built-from";

/// Reads `compose.yaml`, `docker-compose.yml` and their variants.
pub struct ComposeAdapter;

impl Adapter for ComposeAdapter {
    fn name(&self) -> &'static str {
        "compose"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let text = file.text()?;
        let stream = Stream::parse(text);
        let Some(document) = stream.documents().next() else {
            return Ok(Parsed::default());
        };
        let root = document.root.map_err(|error| syntax_error(file.display_path, &error))?;
        let mut reader = Reader { file, files, vars: HashMap::new(), collector: Collector::default() };
        reader.read_env();
        let project = reader.project_name(&root);
        let services = root.get("services");
        for (name, service) in services.map(|s| s.entries()).unwrap_or_default() {
            reader.service(name, service, services, &project);
        }
        Ok(reader.collector.finish())
    }
}

struct Reader<'f, 's> {
    file: &'f SourceFile<'s>,
    files: &'f dyn FileAccess,
    vars: HashMap<String, String>,
    collector: Collector,
}

/// What a service's `build:` says, values substituted.
#[derive(Default)]
struct BuildSpec<'a> {
    context: String,
    dockerfile: String,
    inline: Option<(String, Node<'a>)>,
    build: Build,
}

impl Reader<'_, '_> {
    fn location(&self, node: &Node<'_>) -> Location {
        Location::line(self.file.display_path, node.line())
    }

    fn read_env(&mut self) {
        let display = self.file.sibling_display(".env");
        let Ok(bytes) = self.files.read(&self.file.sibling(".env")) else {
            return;
        };
        match std::str::from_utf8(&bytes) {
            Ok(text) => {
                let (vars, problems) = dotenv::parse(text, &display);
                self.vars = vars;
                self.collector.problems(problems);
            }
            Err(_) => self
                .collector
                .problem(Location::file(display), "not valid UTF-8 text; its variables are not used"),
        }
    }

    /// The project name: `name:` in the file, else the directory's name, normalised as
    /// Compose does (lower case; letters, digits, `_` and `-`).
    fn project_name(&mut self, root: &Node<'_>) -> String {
        let written = root.get("name").and_then(|name| name.as_str()).map(|name| self.expand(name).value);
        let directory =
            || self.file.path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
        let name = written.or_else(directory).unwrap_or_default();
        name.to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')).collect()
    }

    fn expand(&self, text: &str) -> Expansion {
        expand(text, &self.vars, Syntax::Compose)
    }

    /// A string value, substituted; a problem (and `None`) when a variable is missing.
    fn string(&mut self, node: Option<Node<'_>>, what: &str) -> Option<String> {
        let node = node?;
        let written = node.as_str()?;
        let expansion = self.expand(written);
        if expansion.is_resolved() {
            Some(expansion.value)
        } else {
            let message = format!("{what} {written:?} is not resolved: {}", why_unresolved(&expansion));
            self.collector.problem(self.location(&node), message);
            None
        }
    }

    fn service(&mut self, name: &str, service: Node<'_>, services: Option<Node<'_>>, project: &str) {
        let platform = self.string(service.get("platform"), "platform");
        let (image, build) = match image_and_build(name, service, services) {
            Ok(found) => found,
            Err(message) => {
                self.collector.problem(self.location(&service), message);
                return;
            }
        };
        match build {
            Some(build) => self.built_service(name, image, build, project, platform),
            None => {
                if let Some(image) = image {
                    self.image(name, image, platform.as_deref());
                }
            }
        }
    }

    /// Reports the image a service runs; returns the finding's key.
    fn image(&mut self, service: &str, node: Node<'_>, platform: Option<&str>) -> Option<String> {
        let location = self.location(&node);
        let Some(written) = node.as_str() else {
            self.collector.problem(location, format!("image of service {service:?} is not a string"));
            return None;
        };
        let expansion = self.expand(written);
        let mut image = if expansion.is_resolved() {
            ImageFinding::new(written, &expansion.value, Scope::Infrastructure, location)
        } else {
            ImageFinding::unresolved(written, Scope::Infrastructure, location, why_unresolved(&expansion))
        };
        if let Some(known) = self.collector.get_mut(&image.finding.key) {
            // Another service (one that `extends` it) runs the image written at the same place.
            let services = known.properties.entry(SERVICE.to_owned()).or_default();
            services.push_str(", ");
            services.push_str(service);
            return Some(image.finding.key);
        }
        image = image.with_property(SERVICE, service);
        if let Some(platform) = platform {
            image = image.with_property(PLATFORM, platform);
        }
        Some(self.collector.image(image))
    }

    fn built_service(
        &mut self,
        service: &str,
        image: Option<Node<'_>>,
        build: Node<'_>,
        project: &str,
        platform: Option<String>,
    ) {
        let spec = self.build_spec(&build);
        let subject = match image {
            Some(image) => self.image(service, image, platform.as_deref()),
            None => Some(self.unnamed_built_image(service, &build, project, platform.as_deref())),
        };
        let Some(subject) = subject else {
            return;
        };
        let base = match &spec.inline {
            Some((text, node)) => self.inline_dockerfile(text, node, &spec.build),
            None => self.dockerfile(&spec, &build),
        };
        if let Some(finding) = self.collector.get_mut(&subject) {
            finding.role = Role::Subject;
            if let Some((built_from, base)) = base {
                finding.properties.insert(BUILT_FROM.to_owned(), built_from);
                finding.depends_on.extend(base);
            }
        }
    }

    /// A built image without `image:` is named `<project>-<service>` by Compose.
    fn unnamed_built_image(
        &mut self,
        service: &str,
        build: &Node<'_>,
        project: &str,
        platform: Option<&str>,
    ) -> String {
        let name = if project.is_empty() { service.to_owned() } else { format!("{project}-{service}") };
        let location = self.location(build);
        let mut finding = Finding::new(
            format!("{location}:{name}"),
            ComponentKind::Container,
            name,
            None,
            Scope::Infrastructure,
            location,
        );
        finding.properties.insert(SERVICE.to_owned(), service.to_owned());
        if let Some(platform) = platform {
            finding.properties.insert(PLATFORM.to_owned(), platform.to_owned());
        }
        self.collector.finding(finding)
    }

    fn build_spec<'n>(&mut self, build: &Node<'n>) -> BuildSpec<'n> {
        let mut spec = BuildSpec {
            context: ".".to_owned(),
            dockerfile: "Dockerfile".to_owned(),
            ..BuildSpec::default()
        };
        if build.as_str().is_some() {
            spec.context = self.string(Some(*build), "build context").unwrap_or_default();
            return spec;
        }
        if let Some(context) = self.string(build.get("context"), "build context") {
            spec.context = context;
        }
        if let Some(dockerfile) = self.string(build.get("dockerfile"), "dockerfile") {
            spec.dockerfile = dockerfile;
        }
        if let Some(node) = build.get("dockerfile_inline") {
            spec.inline = node.as_str().map(|text| (self.expand(text).value, node));
        }
        spec.build.target = self.string(build.get("target"), "build target");
        if let Some(args) = build.get("args") {
            spec.build.args = self.build_args(&args);
        }
        spec
    }

    /// `args:` as a mapping (`KEY: value`, a null value taken from `.env`) or a list
    /// (`KEY=value`, a bare `KEY` taken from `.env`).
    fn build_args(&mut self, args: &Node<'_>) -> HashMap<String, String> {
        let mut values = HashMap::new();
        let entries: Vec<(String, Option<Node<'_>>)> = if args.is_mapping() {
            args.entries().into_iter().map(|(key, value)| (key.to_owned(), Some(value))).collect()
        } else {
            args.items()
                .into_iter()
                .filter_map(|item| item.as_str().map(|text| (text.to_owned(), None)))
                .collect()
        };
        for (key, value) in entries {
            let (name, value) = match value {
                Some(node) if node.is_null() => {
                    let value = self.vars.get(&key).cloned();
                    (key, value)
                }
                Some(node) => (key, self.string(Some(node), "build argument")),
                None => match key.split_once('=') {
                    Some((name, value)) => (name.to_owned(), Some(self.expand(value).value)),
                    None => {
                        let value = self.vars.get(&key).cloned();
                        (key, value)
                    }
                },
            };
            if let Some(value) = value {
                values.insert(name, value);
            }
        }
        values
    }

    /// Reads the service's Dockerfile; returns where it is and the key of the delivered base.
    fn dockerfile(&mut self, spec: &BuildSpec<'_>, build: &Node<'_>) -> Option<(String, Option<String>)> {
        if is_remote(&spec.context) {
            let message = format!("build context {:?} is remote: its Dockerfile is not read", spec.context);
            self.collector.problem(self.location(build), message);
            return None;
        }
        let relative = format!("{}/{}", spec.context.trim_end_matches('/'), spec.dockerfile);
        let target = if spec.dockerfile.starts_with('/') { spec.dockerfile.clone() } else { relative };
        let Referenced { path, display } = referenced(self.file, &target);
        let text = match self.files.read(&path).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                self.collector
                    .problem(self.location(build), format!("Dockerfile {display} is not valid UTF-8 text"));
                return Some((display, None));
            }
            Err(error) => {
                self.collector
                    .problem(self.location(build), format!("cannot read Dockerfile {display}: {error}"));
                return Some((display, None));
            }
        };
        let read_elsewhere = crate::registry::matcher()
            .adapters_for(&display)
            .iter()
            .any(|adapter| adapter.name() == DockerfileAdapter.name());
        let base = self.dockerfile_images(&text, &display, 0, &spec.build, read_elsewhere, build);
        Some((display, base))
    }

    fn inline_dockerfile(
        &mut self,
        text: &str,
        node: &Node<'_>,
        build: &Build,
    ) -> Option<(String, Option<String>)> {
        // A block scalar's node starts at its first line of text, as a plain one does.
        let offset = node.line().saturating_sub(1);
        let display = self.file.display_path.to_owned();
        let base = self.dockerfile_images(text, &display, offset, build, false, node);
        Some(("dockerfile_inline".to_owned(), base))
    }

    /// Reports a Dockerfile's images; returns the key of the delivered base. When the Dockerfile
    /// adapter reads the same file, unresolved images and problems are left to it.
    fn dockerfile_images(
        &mut self,
        text: &str,
        display: &str,
        line_offset: u32,
        build: &Build,
        read_elsewhere: bool,
        build_node: &Node<'_>,
    ) -> Option<String> {
        let analysis = analyse(text, display, line_offset, build);
        if analysis.target_missing {
            let target = build.target.as_deref().unwrap_or_default();
            let message = format!("build target {target:?} is not a stage of {display}");
            self.collector.problem(self.location(build_node), message);
        }
        if !read_elsewhere {
            self.collector.problems(analysis.problems);
        }
        let mut delivered = None;
        for (index, image) in analysis.images.into_iter().enumerate() {
            if read_elsewhere && image.finding.properties.contains_key(UNRESOLVED) {
                continue;
            }
            let key = self.collector.image(image);
            if Some(index) == analysis.delivered {
                delivered = Some(key);
            }
        }
        delivered
    }
}

/// The `image` and `build` of a service; a service with neither takes them from the service it
/// `extends` in the same file. Extending a service of another file is not followed.
fn image_and_build<'n>(
    name: &str,
    service: Node<'n>,
    services: Option<Node<'n>>,
) -> Result<(Option<Node<'n>>, Option<Node<'n>>), String> {
    const MAX_CHAIN: usize = 8;
    let mut current = service;
    for _ in 0..MAX_CHAIN {
        let (image, build) = (current.get("image"), current.get("build"));
        if image.is_some() || build.is_some() {
            return Ok((image, build));
        }
        let Some(extends) = current.get("extends") else {
            return Err(format!("service {name:?} has neither image nor build"));
        };
        if let Some(file) = extends.get("file").and_then(|file| file.as_str()) {
            return Err(format!(
                "service {name:?} extends a service of {file}, which is not followed: its image is unknown"
            ));
        }
        let base = extends.as_str().or_else(|| extends.get("service").and_then(|base| base.as_str()));
        let Some(base) = base else {
            return Err(format!("service {name:?} extends no service"));
        };
        current = services
            .and_then(|services| services.get(base))
            .ok_or_else(|| format!("service {name:?} extends {base:?}, which this file does not define"))?;
    }
    Err(format!("service {name:?} extends services in a chain longer than {MAX_CHAIN} (a loop?)"))
}

/// A build context Compose fetches (a Git repository or an archive URL).
fn is_remote(context: &str) -> bool {
    context.contains("://") || context.starts_with("git@") || context.starts_with("github.com/")
}

fn why_unresolved(expansion: &Expansion) -> String {
    let mut reasons: Vec<String> = expansion
        .unset
        .iter()
        .map(|name| format!("variable {name} is not set (no default, not in .env)"))
        .collect();
    reasons.extend(expansion.errors.iter().cloned());
    reasons.join("; ")
}

#[cfg(test)]
mod tests;
