//! Reading one entry of a list without letting a broken entry spoil the others.
//!
//! serde cannot go on after an error inside a sequence, so each entry is first tried as the
//! typed struct and, failing that, kept as a plain TOML or JSON value; the error message is
//! recovered (on that rare path only) by reading the value again as the struct.

use serde::Deserialize;

/// One entry: read, or kept as a raw value that did not fit the expected shape.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum Lenient<T, V> {
    /// The entry as expected.
    Read(T),
    /// The entry as written, which does not fit.
    Unreadable(V),
}

/// A raw value that can say why it does not fit a struct.
pub(crate) trait Explain {
    /// The deserialisation error of reading `self` as a `T`.
    fn explain<'de, T: Deserialize<'de>>(self) -> String;
}

impl Explain for toml::Value {
    fn explain<'de, T: Deserialize<'de>>(self) -> String {
        match T::deserialize(self) {
            Ok(_) => "entry has an unexpected shape".to_owned(),
            Err(error) => error.message().to_owned(),
        }
    }
}

impl Explain for serde_json::Value {
    fn explain<'de, T: Deserialize<'de>>(self) -> String {
        match T::deserialize(self) {
            Ok(_) => "entry has an unexpected shape".to_owned(),
            Err(error) => error.to_string(),
        }
    }
}
