//! The one interface every ecosystem adapter implements, and what it is given.

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::finding::{Location, Parsed};

/// Read access to other files of the scanned tree (a `Cargo.toml` beside a `Cargo.lock`, an
/// included requirements file). Adapters read through this, never through `std::fs`, so that
/// they stay pure functions of the files and can be tested on in-memory trees.
pub trait FileAccess: Sync {
    /// The bytes of the file at `path` (an absolute path, or one relative to the process).
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;

    /// Whether a file exists at `path`.
    fn exists(&self, path: &Path) -> bool {
        self.read(path).is_ok()
    }

    /// The names of the directories directly inside the directory `path`, sorted. Adapters use
    /// it to expand member globs (Cargo's `members = ["crates/*"]`). Trees that cannot list
    /// directories answer [`io::ErrorKind::Unsupported`], the default.
    fn subdirectories(&self, path: &Path) -> io::Result<Vec<String>> {
        Err(io::Error::new(io::ErrorKind::Unsupported, format!("cannot list {}", path.display())))
    }

    /// The path of `path` on the real file system, for adapters that may hand it to the
    /// ecosystem's own tool (`cargo metadata`). In-memory trees have none, the default.
    fn real_path(&self, _path: &Path) -> Option<PathBuf> {
        None
    }
}

/// [`FileAccess`] on the real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealFiles;

impl FileAccess for RealFiles {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn exists(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn subdirectories(&self, path: &Path) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            if entry.path().is_dir() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        Ok(names)
    }

    fn real_path(&self, path: &Path) -> Option<PathBuf> {
        Some(path.to_path_buf())
    }
}

/// One file handed to an adapter.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    /// Where the file is, usable with [`FileAccess`] (siblings are found by joining onto its
    /// parent).
    pub path: &'a Path,
    /// The path relative to the scanned root, `/`-separated: what locations and messages name.
    pub display_path: &'a str,
    /// The file's bytes.
    pub contents: &'a [u8],
}

impl<'a> SourceFile<'a> {
    /// The contents as UTF-8, or an error naming the file when they are not text.
    pub fn text(&self) -> Result<&'a str, ParseError> {
        if self.contents.contains(&0) {
            return Err(ParseError::new(
                self.display_path,
                "binary file (contains NUL bytes), not a text lockfile",
            ));
        }
        std::str::from_utf8(self.contents).map_err(|error| {
            let line = line_of_offset(self.contents, error.valid_up_to());
            ParseError::at(Location::line(self.display_path, line), "not valid UTF-8 text")
        })
    }

    /// The path of a file in the same directory as this one.
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.path.parent().unwrap_or_else(|| Path::new(".")).join(name)
    }

    /// The display path of a file in the same directory as this one.
    pub fn sibling_display(&self, name: &str) -> String {
        match self.display_path.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{name}"),
            None => name.to_owned(),
        }
    }
}

/// The 1-based line on which byte `offset` of `bytes` falls.
pub fn line_of_offset(bytes: &[u8], offset: usize) -> u32 {
    let end = offset.min(bytes.len());
    let newlines = bytes[..end].iter().filter(|&&b| b == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// Why an adapter could not read a file at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{location}{}: {message}", column.map(|c| format!(":{c}")).unwrap_or_default())]
pub struct ParseError {
    /// The file, and the line where the format tells it.
    pub location: Location,
    /// The 1-based column, where the format tells it.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl ParseError {
    /// An error about a whole file.
    pub fn new(path: &str, message: impl Into<String>) -> Self {
        Self { location: Location::file(path), column: None, message: message.into() }
    }

    /// An error at a known location.
    pub fn at(location: Location, message: impl Into<String>) -> Self {
        Self { location, column: None, message: message.into() }
    }

    /// An error from `serde_json`, with its line and column.
    pub fn from_json(path: &str, error: &serde_json::Error) -> Self {
        let line = u32::try_from(error.line()).unwrap_or(u32::MAX);
        let column = u32::try_from(error.column()).unwrap_or(u32::MAX);
        let message = strip_position_suffix(&error.to_string());
        Self { location: Location::line(path, line.max(1)), column: Some(column), message }
    }

    /// An error from the `toml` parser, with the line and column of its span.
    pub fn from_toml(path: &str, text: &str, error: &toml::de::Error) -> Self {
        let message = error.message().to_owned();
        match error.span() {
            Some(span) => {
                let line = line_of_offset(text.as_bytes(), span.start);
                let line_start = text[..span.start.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
                let column = u32::try_from(span.start - line_start + 1).unwrap_or(u32::MAX);
                Self { location: Location::line(path, line), column: Some(column), message }
            }
            None => Self::new(path, message),
        }
    }
}

/// serde_json appends " at line L column C"; the location already says that.
fn strip_position_suffix(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// An ecosystem adapter: a pure function from one file (and read access to its neighbours) to
/// the components that file declares.
pub trait Adapter: Sync {
    /// A short, stable name (`cargo`, `npm`): used in summaries and messages.
    fn name(&self) -> &'static str;

    /// Reads one file. A file that cannot be read at all is an error; a part that cannot be
    /// read is a [`crate::Problem`] in the result and the rest is still reported.
    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError>;
}
