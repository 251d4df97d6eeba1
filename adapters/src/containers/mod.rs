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
mod yaml;

use crate::adapter::ParseError;
use crate::finding::Location;

/// A YAML syntax error that makes a whole file unreadable.
fn syntax_error(path: &str, error: &yaml::SyntaxError) -> ParseError {
    ParseError {
        location: Location::line(path, error.line),
        column: Some(error.column),
        message: format!("YAML syntax error: {}", error.message),
    }
}

#[cfg(test)]
mod tests;
