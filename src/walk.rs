//! Finding the files the adapters read: one pass over the tree that skips what no scan wants
//! (`.git`, `node_modules`, build output, virtualenvs) and honours `.gitignore`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{DirEntry, WalkBuilder, WalkState};
use shelflife_adapters::{registry, Adapter, Location, Problem};

/// Directory names never descended into: VCS data, installed dependencies, build output.
const SKIPPED_DIRS: &[&str] =
    &[".git", ".hg", ".svn", "node_modules", "target", "__pycache__", ".tox", ".nox", ".venv", "venv"];

/// A file some adapter claims.
#[derive(Clone)]
pub struct Candidate {
    /// The path to read.
    pub path: PathBuf,
    /// The path relative to the scanned root, `/`-separated.
    pub display_path: String,
    /// The adapters that read it.
    pub adapters: Vec<&'static dyn Adapter>,
}

/// The claimed files below `root` (sorted by display path, so scans are deterministic) and the
/// problems met on the way (unreadable directories, symlink loops).
pub fn candidates(root: &Path) -> (Vec<Candidate>, Vec<Problem>) {
    let found = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    let matcher = registry::matcher();
    WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(true)
        .filter_entry(|entry| !is_skipped_dir(entry))
        .build_parallel()
        .run(|| {
            Box::new(|result| {
                match result {
                    Ok(entry) => {
                        if entry.file_type().is_some_and(|t| t.is_file()) {
                            let display_path = display_path(root, entry.path());
                            let adapters = matcher.adapters_for(&display_path);
                            if !adapters.is_empty() {
                                let candidate = Candidate { path: entry.into_path(), display_path, adapters };
                                lock(&found).push(candidate);
                            }
                        }
                    }
                    Err(error) => lock(&problems).push(walk_problem(root, &error)),
                }
                WalkState::Continue
            })
        });
    let mut found = found.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    found.sort_by(|a, b| a.display_path.cmp(&b.display_path));
    let problems = problems.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    (found, problems)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn is_skipped_dir(entry: &DirEntry) -> bool {
    if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
        return false;
    }
    let name = entry.file_name().to_string_lossy();
    SKIPPED_DIRS.contains(&name.as_ref()) || entry.path().join("pyvenv.cfg").is_file()
}

/// `path` relative to `root`, with `/` separators.
pub fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let text = relative.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Turns a walk error (a directory that may not be read, a symlink loop) into a problem that
/// names the path.
fn walk_problem(root: &Path, error: &ignore::Error) -> Problem {
    match innermost(error) {
        ignore::Error::Loop { ancestor, child } => Problem {
            location: Location::file(display_path(root, child)),
            message: format!("symbolic link loop back to {}; not followed", display_path(root, ancestor)),
        },
        ignore::Error::Io(io) => match path_of(error) {
            Some(path) => Problem {
                location: Location::file(display_path(root, path)),
                message: format!("cannot read: {io}"),
            },
            None => Problem { location: Location::file("."), message: format!("cannot read: {io}") },
        },
        other => match path_of(error) {
            Some(path) => {
                Problem { location: Location::file(display_path(root, path)), message: other.to_string() }
            }
            None => Problem { location: Location::file("."), message: other.to_string() },
        },
    }
}

fn innermost(error: &ignore::Error) -> &ignore::Error {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => innermost(err),
        other => other,
    }
}

fn path_of(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => path_of(err),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_directory_is_a_problem_naming_it() {
        let root = Path::new("/scan");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let error = ignore::Error::WithDepth {
            depth: 2,
            err: Box::new(ignore::Error::WithPath {
                path: PathBuf::from("/scan/secret/dir"),
                err: Box::new(ignore::Error::Io(denied)),
            }),
        };
        let problem = walk_problem(root, &error);
        assert_eq!(problem.location.path, "secret/dir");
        assert!(problem.message.starts_with("cannot read: "), "{}", problem.message);
        assert!(problem.message.to_lowercase().contains("permission denied"), "{}", problem.message);
    }

    #[test]
    fn display_paths_are_relative_with_forward_slashes() {
        assert_eq!(display_path(Path::new("/a/b"), Path::new("/a/b/c/d.lock")), "c/d.lock");
    }
}
