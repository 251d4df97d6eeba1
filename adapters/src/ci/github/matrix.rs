//! Expanding `${{ matrix.… }}` expressions from a job's literal `strategy.matrix`, so that
//! `runs-on: ${{ matrix.os }}` or `node-version: ${{ matrix.node }}` become one finding per value.
//!
//! Values come from the matrix's own lists and from its `include` entries. `exclude` is not
//! applied: it removes combinations, and a value it removes from every combination is rare
//! enough that reporting it is the safer error. Any other expression (`inputs.…`, `vars.…`,
//! `fromJSON(…)`) is only known when the workflow runs, and is reported as unresolved.

use crate::ci::yaml::{Kind, Node};

/// The most values one text may expand to, against combinatorial blow-up.
const MAX_EXPANSIONS: usize = 64;

/// A job's `strategy.matrix`, as far as the file gives it.
#[derive(Debug, Clone, Copy)]
pub enum Matrix<'n, 'a> {
    /// The job has no matrix.
    Absent,
    /// A literal mapping.
    Literal(Node<'n, 'a>),
    /// Computed at run time (`matrix: ${{ fromJSON(…) }}`).
    Dynamic,
}

impl<'n, 'a> Matrix<'n, 'a> {
    /// The matrix of a job.
    pub fn of_job(job: Node<'n, 'a>) -> Self {
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
        let mut candidates: Vec<Node<'n, 'a>> = Vec::new();
        if let Some(list) = matrix.get(key) {
            match list.items() {
                Some(items) => candidates.extend(items),
                None => return Err(format!("`matrix.{key}` is not a literal list")),
            }
        }
        if let Some(includes) = matrix.get("include").and_then(Node::items) {
            candidates.extend(includes.filter_map(|entry| entry.get(key)));
        }
        let mut values: Vec<String> = Vec::new();
        for candidate in candidates {
            let value = descend(candidate, rest)
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

fn descend<'n>(node: Node<'n, '_>, path: &[&str]) -> Option<&'n str> {
    match path.split_first() {
        None => node.text(),
        Some((key, rest)) => descend(node.get(key)?, rest),
    }
}

/// Every text `text` can be once its `${{ matrix.… }}` expressions are replaced by the matrix's
/// values; the text itself when it has no expression. An error says why an expression cannot
/// be resolved.
pub fn expand(text: &str, matrix: &Matrix<'_, '_>) -> Result<Vec<String>, String> {
    let mut results = vec![String::new()];
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let (literal, after) = rest.split_at(start);
        let end = after.find("}}").ok_or_else(|| format!("unterminated expression in `{text}`"))?;
        let inner = after.get(3..end).unwrap_or("").trim();
        let values = match inner.strip_prefix("matrix.") {
            Some(path) => matrix.values(&path.split('.').collect::<Vec<_>>())?,
            None => return Err(format!("`${{{{ {inner} }}}}` is only known when the workflow runs")),
        };
        results = combine(&results, literal, &values)?;
        rest = after.get(end + 2..).unwrap_or("");
    }
    for result in &mut results {
        result.push_str(rest);
    }
    Ok(results)
}

fn combine(prefixes: &[String], literal: &str, values: &[String]) -> Result<Vec<String>, String> {
    if prefixes.len() * values.len() > MAX_EXPANSIONS {
        return Err(format!("more than {MAX_EXPANSIONS} matrix combinations"));
    }
    Ok(prefixes
        .iter()
        .flat_map(|prefix| values.iter().map(move |value| format!("{prefix}{literal}{value}")))
        .collect())
}

/// Whether `text` holds an expression.
pub fn has_expression(text: &str) -> bool {
    text.contains("${{")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ci::yaml::load;

    fn job(text: &str) -> Vec<saphyr::MarkedYaml<'_>> {
        load("w.yml", text).unwrap()
    }

    #[test]
    fn expands_lists_includes_and_nested_values() {
        let text = "strategy:\n  matrix:\n    os: [ubuntu-22.04, windows-2022]\n    node: [18, 20]\n    include:\n      - os: macos-14\n        cfg: {py: '3.12'}\n";
        let docs = job(text);
        let matrix = Matrix::of_job(Node(&docs[0]));
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
        let dynamic = Matrix::of_job(Node(&docs[0]));
        assert!(expand("${{ matrix.os }}", &dynamic).unwrap_err().contains("computed"));
        let none = job("runs-on: x\n");
        let absent = Matrix::of_job(Node(&none[0]));
        assert!(expand("${{ matrix.os }}", &absent).unwrap_err().contains("no matrix"));
        assert!(expand("${{ inputs.os }}", &absent).unwrap_err().contains("only known"));
        assert!(expand("${{ matrix.os", &absent).unwrap_err().contains("unterminated"));
        let docs = job("strategy:\n  matrix:\n    os: ${{ inputs.list }}\n");
        assert!(expand("${{ matrix.os }}", &Matrix::of_job(Node(&docs[0])))
            .unwrap_err()
            .contains("not a literal list"));
    }
}
