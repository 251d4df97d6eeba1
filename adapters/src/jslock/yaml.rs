//! What the YAML lockfile readers (yarn Berry, pnpm) share.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::adapter::ParseError;
use crate::finding::Location;

/// A YAML scalar read as text whatever its YAML type (`version: 10`, `react: 18.2.0`).
#[derive(Debug)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A YAML error as a [`ParseError`] with the line and column it gives; `what` names the
/// package manager (`yarn`, `pnpm`).
pub fn yaml_error(path: &str, what: &str, error: &serde_yaml_ng::Error) -> ParseError {
    match error.location() {
        Some(at) => ParseError {
            location: Location::line(path, u32::try_from(at.line()).unwrap_or(u32::MAX).max(1)),
            column: u32::try_from(at.column()).ok(),
            message: format!("not a valid {what} lockfile: {error}"),
        },
        None => ParseError::new(path, format!("not a valid {what} lockfile: {error}")),
    }
}
