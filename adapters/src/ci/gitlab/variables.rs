//! GitLab CI variables in image names (`image: node:$NODE_VERSION`): job `variables`, then the
//! global `variables`, each possibly with several values from the job's `parallel: matrix`.
//!
//! Expansion follows GitLab's syntax: `$NAME` and `${NAME}`, `$$` for a literal `$`, and values
//! that refer to other variables are expanded in turn (unless `expand: false`). Variables the
//! file does not define (`$CI_REGISTRY_IMAGE`, project settings) are only known when the
//! pipeline runs: the reference is then reported as unresolved.

use crate::ci::yaml::{Kind, Node};

/// The most values one reference may expand to.
const MAX_EXPANSIONS: usize = 64;
/// How deep variables referring to variables are followed.
const MAX_DEPTH: usize = 8;

/// One definition of a variable: its candidate values and whether they are expanded further.
#[derive(Debug, Clone)]
struct Definition {
    values: Vec<String>,
    expand: bool,
}

/// The variables a job sees, most specific first.
#[derive(Debug, Default, Clone)]
pub struct Variables {
    scopes: Vec<Vec<(String, Definition)>>,
}

impl Variables {
    /// The variables of a `variables:` mapping (the global one, or `default:`'s).
    pub fn from_mapping(variables: Option<Node<'_, '_>>) -> Self {
        let mut this = Self::default();
        this.push_mapping(variables);
        this
    }

    /// These variables, overridden by a job's `parallel: matrix` and then its `variables`.
    pub fn for_job(&self, job: Node<'_, '_>) -> Self {
        let mut scoped = Self::default();
        scoped.push_mapping(job.get("variables"));
        scoped.push_matrix(job.get("parallel").and_then(|parallel| parallel.get("matrix")));
        scoped.scopes.extend(self.scopes.iter().cloned());
        scoped
    }

    fn push_mapping(&mut self, variables: Option<Node<'_, '_>>) {
        let Some(entries) = variables.and_then(Node::entries) else { return };
        let scope = entries.filter_map(|(name, value)| Some((name.to_owned(), definition(value)?))).collect();
        self.scopes.push(scope);
    }

    /// `parallel: matrix:` is a list of mappings from names to a value or a list of values; a
    /// name's candidates are all the values it takes in any entry.
    fn push_matrix(&mut self, matrix: Option<Node<'_, '_>>) {
        let Some(entries) = matrix.and_then(Node::items) else { return };
        let mut scope: Vec<(String, Definition)> = Vec::new();
        for entry in entries {
            for (name, value) in entry.entries().into_iter().flatten() {
                let values: Vec<String> = match value.items() {
                    Some(items) => items.filter_map(Node::text).map(str::to_owned).collect(),
                    None => value.text().map(str::to_owned).into_iter().collect(),
                };
                match scope.iter_mut().find(|(known, _)| known == name) {
                    Some((_, definition)) => {
                        for value in values {
                            if !definition.values.contains(&value) {
                                definition.values.push(value);
                            }
                        }
                    }
                    None => scope.push((name.to_owned(), Definition { values, expand: true })),
                }
            }
        }
        self.scopes.push(scope);
    }

    fn lookup(&self, name: &str) -> Option<&Definition> {
        self.scopes.iter().find_map(|scope| scope.iter().find(|(known, _)| known == name).map(|(_, d)| d))
    }

    /// Every text `text` can be once its variables are replaced; an error names a variable the
    /// file does not define.
    pub fn expand(&self, text: &str) -> Result<Vec<String>, String> {
        self.expand_at(text, 0)
    }

    fn expand_at(&self, text: &str, depth: usize) -> Result<Vec<String>, String> {
        if depth > MAX_DEPTH {
            return Err(format!("variables refer to each other more than {MAX_DEPTH} levels deep"));
        }
        let mut results = vec![String::new()];
        let mut rest = text;
        while let Some(dollar) = rest.find('$') {
            let (literal, after) = rest.split_at(dollar);
            append(&mut results, literal);
            let after = &after[1..];
            if let Some(escaped) = after.strip_prefix('$') {
                append(&mut results, "$");
                rest = escaped;
                continue;
            }
            let Some((name, remainder)) = variable_name(after) else {
                append(&mut results, "$");
                rest = after;
                continue;
            };
            let definition = self.lookup(name).ok_or_else(|| {
                format!("`${name}` is not defined in this file (GitLab sets it when the pipeline runs)")
            })?;
            let mut values = Vec::new();
            for value in &definition.values {
                if definition.expand {
                    values.extend(self.expand_at(value, depth + 1)?);
                } else {
                    values.push(value.clone());
                }
            }
            results = combine(&results, &values)?;
            rest = remainder;
        }
        append(&mut results, rest);
        Ok(results)
    }
}

/// A variable's definition: a scalar, or `{ value, expand }`.
fn definition(value: Node<'_, '_>) -> Option<Definition> {
    match value.kind() {
        Kind::Mapping => {
            let text = value.get("value")?.text()?;
            let expand = value.get("expand").and_then(Node::text) != Some("false");
            Some(Definition { values: vec![text.to_owned()], expand })
        }
        Kind::Null => Some(Definition { values: vec![String::new()], expand: false }),
        _ => Some(Definition { values: vec![value.text()?.to_owned()], expand: true }),
    }
}

/// `NAME` of `$NAME…` or `{NAME}` of `${NAME}…`, and what follows it.
fn variable_name(after_dollar: &str) -> Option<(&str, &str)> {
    if let Some(braced) = after_dollar.strip_prefix('{') {
        let end = braced.find('}')?;
        return Some((&braced[..end], &braced[end + 1..]));
    }
    let end =
        after_dollar.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after_dollar.len());
    let starts_well = after_dollar.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    starts_well.then(|| after_dollar.split_at(end))
}

fn append(results: &mut [String], literal: &str) {
    for result in results {
        result.push_str(literal);
    }
}

fn combine(prefixes: &[String], values: &[String]) -> Result<Vec<String>, String> {
    if prefixes.len() * values.len() > MAX_EXPANSIONS {
        return Err(format!("more than {MAX_EXPANSIONS} combinations of variable values"));
    }
    Ok(prefixes
        .iter()
        .flat_map(|prefix| values.iter().map(move |value| format!("{prefix}{value}")))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ci::yaml::load;

    #[test]
    fn job_variables_override_global_ones_and_matrices_give_several_values() {
        let text = "variables:\n  NODE: '18'\n  REG: registry.example.com\n  IMAGE: $REG/app\njob:\n  variables:\n    NODE: '20'\n    RAW: {value: '$REG', expand: false}\n  parallel:\n    matrix:\n      - PY: ['3.11', '3.12']\n      - PY: '3.13'\n";
        let docs = load("x.yml", text).unwrap();
        let root = Node(&docs[0]);
        let global = Variables::from_mapping(root.get("variables"));
        let job = global.for_job(root.get("job").unwrap());
        assert_eq!(job.expand("node:$NODE").unwrap(), ["node:20"]);
        assert_eq!(global.expand("node:${NODE}-alpine").unwrap(), ["node:18-alpine"]);
        assert_eq!(job.expand("${IMAGE}:1").unwrap(), ["registry.example.com/app:1"]);
        assert_eq!(job.expand("$RAW").unwrap(), ["$REG"]);
        assert_eq!(job.expand("python:$PY").unwrap(), ["python:3.11", "python:3.12", "python:3.13"]);
        assert_eq!(job.expand("a$$b").unwrap(), ["a$b"]);
        assert!(job.expand("$CI_REGISTRY_IMAGE/app").unwrap_err().contains("CI_REGISTRY_IMAGE"));
    }

    #[test]
    fn self_reference_is_bounded() {
        let docs = load("x.yml", "variables:\n  A: $A\n").unwrap();
        let variables = Variables::from_mapping(Node(&docs[0]).get("variables"));
        assert!(variables.expand("$A").unwrap_err().contains("levels"));
    }
}
