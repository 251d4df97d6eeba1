//! serde reads [`Node`]s: the lockfile structs deserialize from the fast reader's tree as they
//! do from a full YAML parser. Plain scalars are typed as YAML 1.2's core schema types them
//! (`null`, `~` and nothing are null; `true`/`false` are booleans), except that numbers stay
//! text: the structs read versions as text, and `1.10` must not become `1.1`.

use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::block::Node;

/// Why a [`Node`] did not fit the type asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self(message.to_string())
    }
}

/// How a plain scalar reads.
enum Plain<'a> {
    Null,
    Bool(bool),
    Text(&'a str),
}

fn plain(text: &str) -> Plain<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Plain::Null,
        "true" | "True" | "TRUE" => Plain::Bool(true),
        "false" | "False" | "FALSE" => Plain::Bool(false),
        _ => Plain::Text(text),
    }
}

impl<'de> Deserializer<'de> for &'de Node<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Plain(text) => match plain(text) {
                Plain::Null => visitor.visit_unit(),
                Plain::Bool(value) => visitor.visit_bool(value),
                Plain::Text(text) => visitor.visit_borrowed_str(text),
            },
            Node::Quoted(text) => visitor.visit_borrowed_str(text),
            Node::Map(entries) => visitor.visit_map(Entries { entries: entries.iter(), value: None }),
            Node::Seq(items) => visitor.visit_seq(Items(items.iter())),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Plain(text) if matches!(plain(text), Plain::Null) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct Entries<'de> {
    entries: std::slice::Iter<'de, (std::borrow::Cow<'de, str>, Node<'de>)>,
    value: Option<&'de Node<'de>>,
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        seed.deserialize(BorrowedStrDeserializer::new(key.as_ref())).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().ok_or_else(|| de::Error::custom("a value without a key"))?;
        seed.deserialize(value)
    }
}

struct Items<'de>(std::slice::Iter<'de, Node<'de>>);

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|item| seed.deserialize(item)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::super::block::parse;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Sample {
        version: String,
        dev: Option<bool>,
        gone: Option<String>,
        list: Vec<String>,
        map: BTreeMap<String, String>,
    }

    #[test]
    fn typed_reading() {
        let node = parse("version: 1.10\ndev: true\ngone: ~\nlist: [a, 'b']\nmap:\n  x: 'y'\n").unwrap();
        let sample = Sample::deserialize(&node).unwrap();
        assert_eq!(sample.version, "1.10", "numbers stay text");
        assert_eq!(sample.dev, Some(true));
        assert_eq!(sample.gone, None);
        assert_eq!(sample.list, ["a", "b"]);
        assert_eq!(sample.map["x"], "y");
        let wrong = parse("version: [1]\nlist: []\nmap: {}\n").unwrap();
        assert!(Sample::deserialize(&wrong).is_err());
    }
}
