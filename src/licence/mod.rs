//! Licences of components: reading what the files and registries declare as SPDX expressions
//! ([`normalise`]), classifying them ([`class`]), checking them against the project's policy
//! ([`policy`]), looking up what the files leave out ([`online`], [`registry`]) and reporting
//! ([`assess`], [`report`]). The knowledge behind it lives in `data/licences/`, each entry with
//! its source; `docs/licences.qmd` explains the rules to users.

pub mod assess;
pub mod class;
pub mod data;
pub mod expr;
pub mod normalise;
pub mod online;
pub mod policy;
pub mod registry;
pub mod report;
