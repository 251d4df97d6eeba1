//! Paths of files one file refers to (a compose file's Dockerfile, a kustomization's
//! resources), both as [`crate::FileAccess`] reads them and as locations name them.

use std::path::{Path, PathBuf};

use crate::adapter::SourceFile;

/// A file referred to by `relative` (`/`-separated) from the directory of `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Referenced {
    /// The path to read.
    pub path: PathBuf,
    /// The path relative to the scanned root, `/`-separated, without `.` and `..` segments
    /// (unless it leaves the root).
    pub display: String,
}

/// Resolves `relative` against the directory of `from`.
pub(crate) fn referenced(from: &SourceFile<'_>, relative: &str) -> Referenced {
    referenced_from(from.path.parent().unwrap_or(Path::new(".")), directory_of(from.display_path), relative)
}

/// Resolves `relative` against a directory given as a path and a display path.
pub(crate) fn referenced_from(directory: &Path, display_directory: &str, relative: &str) -> Referenced {
    let path = directory.join(relative);
    let joined = if display_directory.is_empty() || relative.starts_with('/') {
        relative.to_owned()
    } else {
        format!("{display_directory}/{relative}")
    };
    Referenced { path, display: normalise(&joined) }
}

/// The display directory of a display path (`deploy` for `deploy/compose.yaml`, `` at the root).
pub(crate) fn directory_of(display_path: &str) -> &str {
    display_path.rsplit_once('/').map_or("", |(directory, _)| directory)
}

/// Removes `.` segments and folds `..` into the segment before it.
fn normalise(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." if segments.last().is_some_and(|last| *last != "..") => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    let joined = segments.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_normalised() {
        let file = SourceFile {
            path: Path::new("/src/deploy/compose.yaml"),
            display_path: "deploy/compose.yaml",
            contents: b"",
        };
        let dockerfile = referenced(&file, "../service/./Dockerfile");
        assert_eq!(dockerfile.display, "service/Dockerfile");
        assert_eq!(dockerfile.path, Path::new("/src/deploy/../service/./Dockerfile"));
        let root =
            SourceFile { path: Path::new("compose.yaml"), display_path: "compose.yaml", contents: b"" };
        assert_eq!(referenced(&root, "./api/Dockerfile").display, "api/Dockerfile");
        assert_eq!(referenced(&root, "../outside/Dockerfile").display, "../outside/Dockerfile");
        assert_eq!(directory_of("a/b/c.yaml"), "a/b");
        assert_eq!(directory_of("c.yaml"), "");
    }
}
