//! What the YAML lockfile readers (yarn Berry, pnpm) share: reading a lockfile into typed
//! structs, through the fast reader of the subset pnpm and yarn write, or a full YAML parser
//! (`serde_yaml_ng`, a maintained libyaml port) for anything else and for the error messages.

mod block;
mod node_de;

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::Deserialize;

use crate::adapter::ParseError;
use crate::finding::Location;

/// Reads a YAML lockfile into `T`. The fast reader is tried first; whatever it does not take
/// (or that does not fit `T`) is read again by the full parser, whose errors (with line and
/// column) are the ones reported. `what` names the package manager for messages.
pub fn from_str<T: DeserializeOwned>(text: &str, path: &str, what: &str) -> Result<T, ParseError> {
    if let Ok(node) = block::parse(text) {
        if let Ok(value) = T::deserialize(&node) {
            return Ok(value);
        }
    }
    serde_yaml_ng::from_str(text).map_err(|error| yaml_error(path, what, &error))
}

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
fn yaml_error(path: &str, what: &str, error: &serde_yaml_ng::Error) -> ParseError {
    match error.location() {
        Some(at) => ParseError {
            location: Location::line(path, u32::try_from(at.line()).unwrap_or(u32::MAX).max(1)),
            column: u32::try_from(at.column()).ok(),
            message: format!("not a valid {what} lockfile: {error}"),
        },
        None => ParseError::new(path, format!("not a valid {what} lockfile: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::jslock::testing::fixture_text;

    /// Any YAML document, with every scalar as text: what the two readers must agree on.
    #[derive(Debug, PartialEq)]
    enum Value {
        Null,
        Bool(bool),
        Text(String),
        Map(BTreeMap<String, Value>),
        Seq(Vec<Value>),
    }

    impl<'de> Deserialize<'de> for Value {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct ValueVisitor;
            impl<'de> Visitor<'de> for ValueVisitor {
                type Value = Value;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("any YAML value")
                }
                fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
                    Ok(Value::Null)
                }
                fn visit_none<E: de::Error>(self) -> Result<Value, E> {
                    Ok(Value::Null)
                }
                fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
                    Ok(Value::Bool(v))
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
                    Ok(Value::Text(v.to_owned()))
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
                    Ok(Value::Text(v.to_string()))
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
                    Ok(Value::Text(v.to_string()))
                }
                fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
                    Ok(Value::Text(v.to_string()))
                }
                fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                    let mut entries = BTreeMap::new();
                    while let Some((key, value)) = map.next_entry::<String, Value>()? {
                        entries.insert(key, value);
                    }
                    Ok(Value::Map(entries))
                }
                fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                    let mut items = Vec::new();
                    while let Some(item) = seq.next_element()? {
                        items.push(item);
                    }
                    Ok(Value::Seq(items))
                }
            }
            deserializer.deserialize_any(ValueVisitor)
        }
    }

    /// Every YAML lockfile among the fixtures, as pnpm and yarn wrote it.
    pub(crate) const YAML_FIXTURES: &[&str] = &[
        "pnpm/v5/pnpm-lock.yaml",
        "pnpm/v6/pnpm-lock.yaml",
        "pnpm/v9/pnpm-lock.yaml",
        "pnpm/large-v9/pnpm-lock.yaml",
        "yarn/berry-v3/yarn.lock",
        "yarn/berry-v4/yarn.lock",
        "yarn/large-berry/yarn.lock",
    ];

    #[test]
    fn the_fast_reader_takes_every_fixture_and_agrees_with_serde_yaml_ng() {
        for relative in YAML_FIXTURES {
            let text = fixture_text(relative);
            let node = block::parse(&text).unwrap_or_else(|e| panic!("{relative}: {e:?}"));
            let fast = Value::deserialize(&node).unwrap_or_else(|e| panic!("{relative}: {e}"));
            let full: Value = serde_yaml_ng::from_str(&text).unwrap();
            assert!(fast == full, "{relative}: the readers disagree");
        }
    }

    #[test]
    fn what_the_fast_reader_leaves_is_read_by_the_full_parser() {
        #[derive(Debug, Deserialize)]
        struct Doc {
            a: String,
            b: String,
        }
        let text = "a: &anchor value\nb: |\n  block\n  text\n";
        let doc: Doc = from_str(text, "x.yaml", "pnpm").unwrap();
        assert_eq!((doc.a.as_str(), doc.b.as_str()), ("value", "block\ntext\n"));
        let error = from_str::<Doc>("a: [unclosed\n", "x.yaml", "pnpm").unwrap_err();
        assert_eq!(error.location.path, "x.yaml");
        assert!(error.location.line.is_some());
        assert!(error.message.starts_with("not a valid pnpm lockfile"), "{error}");
    }
}
