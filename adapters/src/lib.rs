//! Ecosystem adapters for shelflife.
//!
//! An adapter knows files, not enrichment or output: given one file (and read access to its
//! neighbours) it reports each component the file declares, with where it was found, its scope
//! and whatever the file itself says (version, licence, hashes, dependency edges).
//! [`registry::REGISTRY`] says which adapter reads which files.

#![warn(missing_docs)]

pub mod adapter;
pub mod bun;
pub mod cargo;
pub mod ci;
pub mod containers;
pub mod finding;
pub mod image_ref;
pub mod jslock;
pub mod lines;
pub mod npm;
pub mod pnpm;
pub mod purl;
pub mod python;
pub mod registry;
#[cfg(test)]
mod testing;
pub mod toolchains;
pub mod yaml;
pub mod yarn;

pub use adapter::{line_of_offset, Adapter, FileAccess, ParseError, RealFiles, SourceFile};
pub use finding::{ComponentKind, Finding, Hash, HashAlgorithm, Location, Parsed, Problem, Role, Scope};
