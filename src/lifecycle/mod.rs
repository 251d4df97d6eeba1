//! Lifecycle enrichment: for each component, the release cycle it belongs to and that cycle's
//! dates — GA, end of sale, end of active support (EOAS), end of life (EOL) and end of extended
//! support (EOES) — each with its source, and how they stand on the as-of day.

pub mod assess;
pub mod client;
pub mod cycle;
pub mod dataset;
pub mod dates;
pub mod enrich;
pub mod mapping;
pub mod output;
pub mod product;
pub mod show;
pub mod tables;

#[cfg(test)]
pub(crate) mod test_server;
