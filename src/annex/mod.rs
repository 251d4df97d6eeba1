//! The delivery annex: a Quarto-markdown document (pandoc markdown plus Quarto's fenced divs, so
//! that plain pandoc renders it too) of what is in the software, under what licence and until
//! when each part is supported, for the recipient of a delivery.
//!
//! The document is the template `data/templates/annex.qmd.j2` (or the user's, `--template`)
//! filled by `minijinja` with the facts of [`model::Annex`]. Every value the template prints is
//! escaped as markdown text ([`markdown::inline`]) unless a filter says otherwise, so that no
//! package name can break or inject into the document.

pub mod commercial;
pub mod markdown;
pub mod model;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, Output, State, UndefinedBehavior};
use thiserror::Error;
use time::Date;

use crate::assessed::Assessed;

/// The built-in template.
pub const TEMPLATE: &str = include_str!("../../data/templates/annex.qmd.j2");

/// How an annex came to be made, for its appendix.
#[derive(Debug, Clone)]
pub struct Production {
    /// The command line, quoted as a shell would need it.
    pub command: String,
    /// The day it was made.
    pub date: Date,
}

/// Why an annex could not be written.
#[derive(Debug, Error)]
pub enum AnnexError {
    /// The template is not valid, or uses a fact the annex does not have.
    #[error("the annex template: {0:#}")]
    Template(#[from] minijinja::Error),
    /// A component's commercial terms cannot be read (an SBOM whose properties were edited).
    #[error("the commercial terms of {0}")]
    Commercial(#[from] crate::commercial::check::CheckError),
}

/// The annex of an assessed inventory, from the built-in template or the given one.
pub fn render(
    assessed: &Assessed,
    produced: &Production,
    template: Option<&str>,
) -> Result<String, AnnexError> {
    let annex = model::build(assessed, produced)?;
    let environment = environment()?;
    let template = environment.template_from_str(template.unwrap_or(TEMPLATE))?;
    Ok(template.render(Value::from(Serde(&annex)))?)
}

/// The template environment: markdown escaping for every printed value, the `yaml` and `code`
/// filters, undefined values as errors (a typo in a template fails loudly), and block tags that
/// leave no blank lines behind.
fn environment() -> Result<Environment<'static>, AnnexError> {
    let mut environment = Environment::new();
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    environment.set_auto_escape_callback(|_| AutoEscape::Custom("markdown".into()));
    environment.set_formatter(format_value);
    environment.set_syntax(
        SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).keep_trailing_newline(true).build()?,
    );
    environment.add_filter("yaml", |text: &str| Value::from_safe_string(markdown::yaml(text)));
    environment.add_filter("code", |text: &str| Value::from_safe_string(markdown::code(text)));
    Ok(environment)
}

/// Prints a value: safe strings as they are, `none` as nothing, anything else as escaped text.
fn format_value(
    out: &mut Output<'_>,
    _state: &mut State<'_, '_>,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let text = if value.is_safe() {
        value.to_string()
    } else if value.is_none() {
        String::new()
    } else {
        markdown::inline(&value.to_string())
    };
    out.write_str(&text).map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
}

/// A command line as one string a POSIX shell would read back as the same words, the program
/// named by its file name (`shelflife`, not `target/debug/shelflife`).
pub fn command_line(args: impl IntoIterator<Item = String>) -> String {
    let words: Vec<String> = args
        .into_iter()
        .enumerate()
        .map(|(index, word)| match index {
            0 => std::path::Path::new(&word)
                .file_name()
                .map_or_else(|| shell_word(&word), |name| shell_word(&name.to_string_lossy())),
            _ => shell_word(&word),
        })
        .collect();
    words.join(" ")
}

fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests;
