//! shelflife: what is in a piece of software, under what licence, and until when each part is
//! supported.
//!
//! The pipeline: [`scan`] walks a tree and runs the adapters of the `shelflife-adapters` crate
//! on every file they claim; [`inventory`] merges their findings; [`emit`] writes CycloneDX and
//! SPDX documents.

#![warn(missing_docs)]

pub mod annex;
pub mod assessed;
pub mod check;
pub mod cli;
pub mod commercial;
pub mod declarations;
pub mod emit;
pub mod eol;
pub mod horizon;
pub mod http;
pub mod input;
pub mod inventory;
pub mod licence;
pub mod licence_command;
pub mod lifecycle;
pub mod scan;
pub mod store;
pub mod summary;
pub mod terms;
#[cfg(test)]
mod test_http;
pub mod walk;
