//! Container image references: in Dockerfiles, compose files, Kubernetes manifests, Kustomize
//! overlays and Helm charts.
//!
//! Every image becomes a component of kind `container` (see [`image`] for its properties):
//! scope `infrastructure` for images that run, `build` for images used only while building.

mod collect;
pub mod compose;
pub mod dockerfile;
mod dotenv;
pub mod helm;
pub mod image;
mod interpolate;
pub mod kubernetes;
pub mod kustomize;
mod paths;

#[cfg(test)]
mod tests;
