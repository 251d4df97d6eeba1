//! A TOML document with the span of every key and value, read with the `toml` crate's
//! `DeTable`, so that each finding can name its line.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::adapter::{line_of_offset, ParseError};

/// A parsed TOML document and its text, for line numbers.
pub struct TomlDoc<'i> {
    text: &'i str,
    root: Spanned<DeTable<'i>>,
}

/// A value of the document with its span.
pub type Value<'i> = Spanned<DeValue<'i>>;

impl<'i> TomlDoc<'i> {
    /// Parses `text`; a syntax error names the file, line and column.
    pub fn parse(path: &str, text: &'i str) -> Result<Self, ParseError> {
        let root = DeTable::parse(text).map_err(|error| ParseError::from_toml(path, text, &error))?;
        Ok(Self { text, root })
    }

    /// The top-level table.
    pub fn root(&self) -> &DeTable<'i> {
        self.root.get_ref()
    }

    /// The 1-based line on which `value` starts.
    pub fn line(&self, value: &Value<'_>) -> u32 {
        line_of_offset(self.text.as_bytes(), value.span().start)
    }
}

/// The value at `key` of `table`.
pub fn get<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t Value<'i>> {
    table.get(key)
}

/// The table at `key` of `table`; `Err` with the value when it is there but not a table.
pub fn table<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Result<Option<&'t DeTable<'i>>, &'t Value<'i>> {
    match table.get(key) {
        None => Ok(None),
        Some(value) => value.get_ref().as_table().map(Some).ok_or(value),
    }
}

/// A short description of a value's type for messages (`integer`, `table`).
pub fn type_name(value: &DeValue<'_>) -> &'static str {
    value.type_str()
}
