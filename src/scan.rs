//! A scan: walk the tree, run every adapter on the files it claims (in parallel), and merge what
//! they found into an [`Inventory`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use shelflife_adapters::{Location, ParseError, Problem, RealFiles, SourceFile};
use thiserror::Error;

use crate::inventory::{AdapterOutput, Inventory};
use crate::walk::{self, Candidate};

/// The default limit on the size of one file: larger files are reported, not read.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Files larger than this many bytes are reported as problems and not read.
    pub max_file_size: u64,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self { max_file_size: DEFAULT_MAX_FILE_SIZE }
    }
}

/// Why a scan could not start at all. Problems with single files never stop a scan; they are
/// recorded in the inventory instead.
#[derive(Debug, Error)]
pub enum ScanError {
    /// The path to scan does not exist or cannot be read.
    #[error("{path}: cannot scan: {source}")]
    Root {
        /// The path given.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
}

/// Counts for one adapter, for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdapterStats {
    /// Files the adapter read.
    pub files: usize,
    /// Components it reported (after merging).
    pub components: usize,
    /// Files or parts of files it could not read.
    pub problems: usize,
}

/// The outcome of a scan.
#[derive(Debug, Clone)]
pub struct ScanReport {
    /// Everything found.
    pub inventory: Inventory,
    /// Per-adapter counts, by adapter name.
    pub stats: BTreeMap<&'static str, AdapterStats>,
    /// The name of the scanned directory (the subject's name when no manifest names it).
    pub root_name: String,
}

/// Counts files as they are read, so a progress display can show how far a scan has got.
#[derive(Debug, Default)]
pub struct Progress {
    /// Files read so far.
    pub files_read: AtomicUsize,
    /// Files found to read.
    pub files_found: AtomicUsize,
}

/// Scans `path`: a directory (walked) or a single file (read by the adapters that claim its name).
pub fn scan(path: &Path, options: &ScanOptions, progress: &Progress) -> Result<ScanReport, ScanError> {
    let root_error = |source| ScanError::Root { path: path.to_owned(), source };
    let metadata = std::fs::metadata(path).map_err(root_error)?;
    let (root, (candidates, mut problems)) = if metadata.is_dir() {
        (path.to_owned(), walk::candidates(path))
    } else {
        let root = path.parent().map_or_else(|| PathBuf::from("."), Path::to_owned);
        (root.clone(), (single_file_candidate(&root, path), Vec::new()))
    };
    progress.files_found.store(candidates.len(), Ordering::Relaxed);

    let results: Vec<FileResult> = candidates
        .par_iter()
        .map(|candidate| {
            let result = read_candidate(candidate, options);
            progress.files_read.fetch_add(1, Ordering::Relaxed);
            result
        })
        .collect();

    let mut stats: BTreeMap<&'static str, AdapterStats> = BTreeMap::new();
    let mut outputs = Vec::new();
    for result in results {
        for (adapter, outcome) in result.outcomes {
            let entry = stats.entry(adapter).or_default();
            entry.files += 1;
            match outcome {
                Ok(parsed) => {
                    entry.problems += parsed.problems.len();
                    outputs.push(AdapterOutput { adapter, parsed });
                }
                Err(problem) => {
                    entry.problems += 1;
                    problems.push(problem);
                }
            }
        }
        problems.extend(result.problem);
    }

    let mut inventory = Inventory::from_outputs(outputs);
    inventory.add_problems(problems);
    for component in &inventory.components {
        for adapter in &component.found_by {
            if let Some(entry) = stats.iter_mut().find(|(name, _)| **name == adapter.as_str()) {
                entry.1.components += 1;
            }
        }
    }
    Ok(ScanReport { inventory, stats, root_name: root_name(&root) })
}

fn single_file_candidate(root: &Path, file: &Path) -> Vec<Candidate> {
    let display_path = walk::display_path(root, file);
    let adapters = shelflife_adapters::registry::matcher().adapters_for(&display_path);
    if adapters.is_empty() {
        return Vec::new();
    }
    vec![Candidate { path: file.to_owned(), display_path, adapters }]
}

/// The name of the scanned directory, for the synthetic subject.
fn root_name(root: &Path) -> String {
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    canonical.file_name().map_or_else(|| "project".to_owned(), |name| name.to_string_lossy().into_owned())
}

/// What became of one file: each adapter's result, or one problem that kept every adapter
/// from reading it.
struct FileResult {
    outcomes: Vec<(&'static str, Result<shelflife_adapters::Parsed, Problem>)>,
    problem: Option<Problem>,
}

fn read_candidate(candidate: &Candidate, options: &ScanOptions) -> FileResult {
    let problem = |message: String| FileResult {
        outcomes: Vec::new(),
        problem: Some(Problem { location: Location::file(candidate.display_path.clone()), message }),
    };
    match std::fs::metadata(&candidate.path) {
        Ok(metadata) if metadata.len() > options.max_file_size => {
            return problem(format!(
                "file is {} bytes, over the size limit of {} bytes (--max-file-size); not read",
                metadata.len(),
                options.max_file_size
            ));
        }
        Ok(_) => {}
        Err(error) => return problem(format!("cannot read: {error}")),
    }
    let contents = match std::fs::read(&candidate.path) {
        Ok(contents) => contents,
        Err(error) => return problem(format!("cannot read: {error}")),
    };
    let file =
        SourceFile { path: &candidate.path, display_path: &candidate.display_path, contents: &contents };
    let outcomes = candidate
        .adapters
        .iter()
        .map(|adapter| {
            (adapter.name(), adapter.parse(&file, &RealFiles).map_err(|e| problem_of(adapter.name(), e)))
        })
        .collect();
    FileResult { outcomes, problem: None }
}

/// A parse error as a problem of the scan, naming the adapter that met it.
fn problem_of(adapter: &str, error: ParseError) -> Problem {
    let column = error.column.map(|c| format!(" (column {c})")).unwrap_or_default();
    Problem { location: error.location, message: format!("{adapter}: {}{column}", error.message) }
}
