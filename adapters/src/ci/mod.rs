//! Continuous-integration and hook definitions.

pub mod yaml;
