//! Expanding `${{ matrix.… }}` expressions from a job's literal `strategy.matrix`, so that
//! `runs-on: ${{ matrix.os }}` or `node-version: ${{ matrix.node }}` become one finding per value.
//!
//! Values come from the matrix's own lists and from its `include` entries. `exclude` is not
//! applied: it removes combinations, and a value it removes from every combination is rare
//! enough that reporting it is the safer error. Any other expression (`inputs.…`, `vars.…`,
//! `fromJSON(…)`) is only known when the workflow runs, and is reported as unresolved.

use crate::ci::expansions::Expansions;
use crate::yaml::{Kind, Node};

/// A job's `strategy.matrix`, as far as the file gives it.
#[derive(Debug, Clone, Copy)]
pub enum Matrix<'n> {
    /// The job has no matrix.
    Absent,
    /// A literal mapping.
    Literal(Node<'n>),
    /// Computed at run time (`matrix: ${{ fromJSON(…) }}`).
    Dynamic,
}

impl<'n> Matrix<'n> {
    /// The matrix of a job.
    pub fn of_job(job: Node<'n>) -> Self {
        match job.get("strategy").and_then(|strategy| strategy.get("matrix")) {
            None => Self::Absent,
            Some(matrix) if matrix.kind() == Kind::Mapping => Self::Literal(matrix),
            Some(_) => Self::Dynamic,
        }
    }

    /// The distinct scalar values of `matrix.<path>`, in file order.
    fn values(&self, path: &[&str]) -> Result<Vec<String>, String> {
        let dotted = path.join(".");
        let matrix = match self {
            Self::Absent => return Err(format!("the job has no matrix, so `matrix.{dotted}` has no value")),
            Self::Dynamic => return Err("the matrix is computed when the workflow runs".to_owned()),
            Self::Literal(matrix) => *matrix,
        };
        let (key, rest) = path.split_first().ok_or("empty matrix path")?;
        let mut candidates: Vec<Node<'n>> = Vec::new();
        if let Some(list) = matrix.get(key) {
            if !list.is_sequence() {
                return Err(format!("`matrix.{key}` is not a literal list"));
            }
            candidates.extend(list.items());
        }
        let includes = matrix.get("include").into_iter().flat_map(Node::items);
        candidates.extend(includes.filter_map(|entry| entry.get(key)));
        let mut values: Vec<String> = Vec::new();
        for candidate in candidates {
            let value = candidate
                .path(rest)
                .and_then(Node::text)
                .ok_or_else(|| format!("`matrix.{dotted}` is not a literal value"))?;
            if !values.iter().any(|known| known == value) {
                values.push(value.to_owned());
            }
        }
        if values.is_empty() {
            return Err(format!("the matrix has no `{dotted}`"));
        }
        Ok(values)
    }
}

/// Every text `text` can be once its `${{ matrix.… }}` expressions are replaced by the matrix's
/// values; the text itself when it has no expression. An error says why an expression cannot
/// be resolved.
pub fn expand(text: &str, matrix: &Matrix<'_>) -> Result<Vec<String>, String> {
    let mut results = Expansions::default();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let (literal, after) = rest.split_at(start);
        let end = after.find("}}").ok_or_else(|| format!("unterminated expression in `{text}`"))?;
        let inner = after.get(3..end).unwrap_or("").trim();
        let values = match inner.strip_prefix("matrix.") {
            Some(path) => matrix.values(&path.split('.').collect::<Vec<_>>())?,
            None => return Err(format!("`${{{{ {inner} }}}}` is only known when the workflow runs")),
        };
        results.literal(literal);
        results.choice(&values, "matrix combinations")?;
        rest = after.get(end + 2..).unwrap_or("");
    }
    results.literal(rest);
    Ok(results.into_texts())
}

/// Whether `text` holds an expression.
pub fn has_expression(text: &str) -> bool {
    text.contains("${{")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Stream;

    fn job(text: &str) -> Stream<'_> {
        Stream::parse(text)
    }

    #[test]
    fn expands_lists_includes_and_nested_values() {
        let text = "strategy:\n  matrix:\n    os: [ubuntu-22.04, windows-2022]\n    node: [18, 20]\n    include:\n      - os: macos-14\n        cfg: {py: '3.12'}\n";
        let docs = job(text);
        let matrix = Matrix::of_job(docs.test_root());
        assert_eq!(
            expand("${{ matrix.os }}", &matrix).unwrap(),
            ["ubuntu-22.04", "windows-2022", "macos-14"]
        );
        assert_eq!(expand("node-${{matrix.node}}.x", &matrix).unwrap(), ["node-18.x", "node-20.x"]);
        assert_eq!(expand("${{ matrix.cfg.py }}", &matrix).unwrap(), ["3.12"]);
        assert_eq!(expand("plain", &matrix).unwrap(), ["plain"]);
        assert_eq!(expand("${{ matrix.os }}/${{ matrix.node }}", &matrix).unwrap().len(), 6);
    }

    #[test]
    fn unresolvable_expressions_say_why() {
        let docs = job("strategy:\n  matrix: ${{ fromJSON(needs.a.outputs.m) }}\n");
        let dynamic = Matrix::of_job(docs.test_root());
        assert!(expand("${{ matrix.os }}", &dynamic).unwrap_err().contains("computed"));
        let none = job("runs-on: x\n");
        let absent = Matrix::of_job(none.test_root());
        assert!(expand("${{ matrix.os }}", &absent).unwrap_err().contains("no matrix"));
        assert!(expand("${{ inputs.os }}", &absent).unwrap_err().contains("only known"));
        assert!(expand("${{ matrix.os", &absent).unwrap_err().contains("unterminated"));
        let docs = job("strategy:\n  matrix:\n    os: ${{ inputs.list }}\n");
        assert!(expand("${{ matrix.os }}", &Matrix::of_job(docs.test_root()))
            .unwrap_err()
            .contains("not a literal list"));
    }
}
