//! Kubernetes manifests: the images of Pods and of the pod templates of Deployments,
//! StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs and
//! PodTemplates (and of any resource with a `spec.template.spec` pod template, such as Argo
//! Rollouts), in `containers`, `initContainers` and `ephemeralContainers`; `List`s are opened.
//!
//! Manifests have no fixed file name, so this adapter is offered every `*.yaml` / `*.yml` file
//! and first makes a cheap test on the bytes: a manifest has `apiVersion:` and `kind:` keys at
//! the start of a line. Files without both (compose files, CI workflows, Helm values, most
//! configuration) are declined before any YAML is parsed, and so are kustomizations and
//! `Chart.yaml`, which their own adapters read. Helm templates (files under a
//! chart's `templates/`) are declined too: they are Go templates, not YAML, and the chart's
//! images are read from its values. A multi-document file is read document by document: a
//! broken document is a problem with its line, and the others are still read.

use std::path::Path;

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::containers::collect::Collector;
use crate::containers::image::ImageFinding;
use crate::containers::yaml::{Node, Stream};
use crate::finding::{Location, Parsed, Problem, Scope};

/// Property: the resource the container belongs to (`Deployment/web`).
pub const WORKLOAD: &str = "shelflife:k8s:workload";
/// Property: the container's name.
pub const CONTAINER: &str = "shelflife:k8s:container";
/// Property: `init` or `ephemeral` for those containers (absent for regular ones).
pub const CONTAINER_TYPE: &str = "shelflife:k8s:container-type";

/// YAML files with `apiVersion` and `kind` that are not manifests: other adapters read them.
const OTHER_FORMATS: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Chart.yaml"];

/// Reads Kubernetes manifests among `*.yaml` and `*.yml` files.
pub struct KubernetesAdapter;

impl Adapter for KubernetesAdapter {
    fn name(&self) -> &'static str {
        "kubernetes"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let name = file.display_path.rsplit('/').next().unwrap_or_default();
        if OTHER_FORMATS.contains(&name)
            || !looks_like_manifest(file.contents)
            || is_helm_template(file.path, files)
        {
            return Ok(Parsed::default());
        }
        let text = file.text()?;
        let mut collector = Collector::default();
        let manifests = read_manifests(text, file.display_path);
        collector.problems(manifests.problems);
        for container in manifests.containers {
            if let Some(image) = container.to_finding(Scope::Infrastructure) {
                collector.image(image);
            } else {
                collector.problem(container.location.clone(), container.missing_image_message());
            }
        }
        Ok(collector.finish())
    }
}

/// Whether the bytes have, at the start of a line, both an `apiVersion:` and a `kind:` key.
pub(crate) fn looks_like_manifest(contents: &[u8]) -> bool {
    let mut api_version = false;
    let mut kind = false;
    for line in contents.split(|&b| b == b'\n') {
        api_version |= line.starts_with(b"apiVersion:");
        kind |= line.starts_with(b"kind:");
        if api_version && kind {
            return true;
        }
    }
    false
}

/// Whether the file lies under a `templates/` directory of a Helm chart.
fn is_helm_template(path: &Path, files: &dyn FileAccess) -> bool {
    path.ancestors()
        .skip(1)
        .find(|directory| directory.file_name().is_some_and(|name| name == "templates"))
        .and_then(Path::parent)
        .is_some_and(|chart| files.exists(&chart.join("Chart.yaml")))
}

/// Whether a container is a regular, init or ephemeral one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContainerType {
    /// `containers`.
    Regular,
    /// `initContainers`.
    Init,
    /// `ephemeralContainers`.
    Ephemeral,
}

impl ContainerType {
    const ALL: [(&'static str, ContainerType); 3] = [
        ("containers", Self::Regular),
        ("initContainers", Self::Init),
        ("ephemeralContainers", Self::Ephemeral),
    ];

    fn property(self) -> Option<&'static str> {
        match self {
            Self::Regular => None,
            Self::Init => Some("init"),
            Self::Ephemeral => Some("ephemeral"),
        }
    }
}

/// One container of a manifest, with its image as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Container {
    /// The image as written, `None` when the container has none.
    pub image: Option<String>,
    /// Where the image is written (or the container, when it has none).
    pub location: Location,
    /// `Kind/name` of the resource.
    pub workload: String,
    /// The container's name.
    pub name: String,
    /// Regular, init or ephemeral.
    pub container_type: ContainerType,
}

impl Container {
    /// The image finding, with the container's properties; `None` without an image.
    pub fn to_finding(&self, scope: Scope) -> Option<ImageFinding> {
        let image = self.image.as_deref()?;
        Some(self.with_properties(ImageFinding::new(image, image, scope, self.location.clone())))
    }

    /// Adds the workload and container properties.
    pub fn with_properties(&self, mut image: ImageFinding) -> ImageFinding {
        image = image
            .with_property(WORKLOAD, self.workload.as_str())
            .with_property(CONTAINER, self.name.as_str());
        match self.container_type.property() {
            Some(container_type) => image.with_property(CONTAINER_TYPE, container_type),
            None => image,
        }
    }

    /// What to say about a container without an image.
    pub fn missing_image_message(&self) -> String {
        format!("container {:?} of {} has no image", self.name, self.workload)
    }
}

/// The containers of a manifest stream and its broken documents.
pub(crate) struct Manifests {
    /// Every container, in file order.
    pub containers: Vec<Container>,
    /// One per broken document.
    pub problems: Vec<Problem>,
}

/// Reads every document of a manifest stream.
pub(crate) fn read_manifests(text: &str, path: &str) -> Manifests {
    let stream = Stream::parse(text);
    let mut manifests = Manifests { containers: Vec::new(), problems: Vec::new() };
    for document in stream.documents() {
        match document.root {
            Ok(root) => resource_containers(&root, path, &mut manifests.containers),
            Err(error) => manifests.problems.push(Problem {
                location: Location::line(path, error.line),
                message: format!(
                    "YAML syntax error at column {} (the document starting at line {} is skipped): {}",
                    error.column, document.first_line, error.message
                ),
            }),
        }
    }
    manifests
}

/// The containers of one resource (or of each item of a `List`).
fn resource_containers(resource: &Node<'_>, path: &str, containers: &mut Vec<Container>) {
    let kind = resource.get("kind").and_then(|kind| kind.as_str()).unwrap_or_default();
    if kind == "List" {
        for item in resource.get("items").map(|items| items.items()).unwrap_or_default() {
            resource_containers(&item, path, containers);
        }
        return;
    }
    let Some(pod_spec) = pod_spec(resource, kind) else {
        return;
    };
    let name = resource.path(&["metadata", "name"]).and_then(|name| name.as_str());
    let workload = match name {
        Some(name) => format!("{kind}/{name}"),
        None => kind.to_owned(),
    };
    for (field, container_type) in ContainerType::ALL {
        for container in pod_spec.get(field).map(|list| list.items()).unwrap_or_default() {
            let image = container.get("image");
            let line = image.map_or_else(|| container.line(), |image| image.line());
            containers.push(Container {
                image: image.and_then(|image| image.as_str()).map(str::to_owned),
                location: Location::line(path, line),
                workload: workload.clone(),
                name: container.get("name").and_then(|name| name.as_str()).unwrap_or_default().to_owned(),
                container_type,
            });
        }
    }
}

/// The pod spec of a resource, where its kind has one.
fn pod_spec<'a>(resource: &Node<'a>, kind: &str) -> Option<Node<'a>> {
    match kind {
        "Pod" => resource.get("spec"),
        "PodTemplate" => resource.path(&["template", "spec"]),
        "CronJob" => resource.path(&["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => resource.path(&["spec", "template", "spec"]),
    }
}

#[cfg(test)]
mod tests;
