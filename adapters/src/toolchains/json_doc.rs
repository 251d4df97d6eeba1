//! A JSON document with the byte range of every value, read with `jsonc-parser`, so that each
//! finding can name its line (`serde_json` keeps no positions).

use jsonc_parser::ast::{Object, ObjectProp, Value};
use jsonc_parser::common::Range;
use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};

use crate::adapter::{line_of_offset, ParseError};
use crate::finding::Location;

/// Which JSON dialect a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Strict JSON (`package.json`).
    Strict,
    /// JSON with comments and trailing commas, as the .NET SDK reads `global.json`.
    WithComments,
}

/// A parsed JSON document whose top level is an object, and its text, for line numbers.
pub struct JsonDoc<'a> {
    text: &'a str,
    root: Object<'a>,
}

impl<'a> JsonDoc<'a> {
    /// Parses `text`; a syntax error names the file, line and column, and so does a top level
    /// that is not an object.
    pub fn parse(path: &str, text: &'a str, dialect: Dialect) -> Result<Self, ParseError> {
        let lenient = dialect == Dialect::WithComments;
        let options = ParseOptions {
            allow_comments: lenient,
            allow_loose_object_property_names: false,
            allow_trailing_commas: lenient,
            allow_missing_commas: false,
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        };
        let parsed = parse_to_ast(text, &CollectOptions::default(), &options).map_err(|error| {
            let line = u32::try_from(error.line_display()).unwrap_or(u32::MAX);
            let column = u32::try_from(error.column_display()).unwrap_or(u32::MAX);
            let mut parse_error = ParseError::at(Location::line(path, line), error.kind().to_string());
            parse_error.column = Some(column);
            parse_error
        })?;
        match parsed.value {
            Some(Value::Object(root)) => Ok(Self { text, root }),
            Some(other) => {
                let line = line_of_offset(text.as_bytes(), range_of(&other).start);
                Err(ParseError::at(Location::line(path, line), "the top level must be a JSON object"))
            }
            None => Err(ParseError::new(path, "empty file: no JSON value")),
        }
    }

    /// The top-level object.
    pub fn root(&self) -> &Object<'a> {
        &self.root
    }

    /// The 1-based line on which `range` starts.
    pub fn line(&self, range: Range) -> u32 {
        line_of_offset(self.text.as_bytes(), range.start)
    }
}

/// The property `key` of `object`; the last one when the key is repeated, as `JSON.parse`
/// and `System.Text.Json` read it.
pub fn prop<'o, 'a>(object: &'o Object<'a>, key: &str) -> Option<&'o ObjectProp<'a>> {
    object.properties.iter().rev().find(|prop| prop.name.as_str() == key)
}

/// The range of any value.
pub fn range_of(value: &Value<'_>) -> Range {
    match value {
        Value::StringLit(node) => node.range,
        Value::NumberLit(node) => node.range,
        Value::BooleanLit(node) => node.range,
        Value::Object(node) => node.range,
        Value::Array(node) => node.range,
        Value::NullKeyword(node) => node.range,
    }
}

/// A short description of a value's type for messages.
pub fn type_name(value: &Value<'_>) -> &'static str {
    match value {
        Value::StringLit(_) => "a string",
        Value::NumberLit(_) => "a number",
        Value::BooleanLit(_) => "a boolean",
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::NullKeyword(_) => "null",
    }
}
