//! Every text a template can become when some of its placeholders stand for several values (a
//! GitHub `${{ matrix.os }}`, a GitLab variable that `parallel: matrix` defines), up to a bound
//! against combinatorial blow-up. The placeholder syntax is the caller's; this builds the texts.

/// The most texts one template may expand to.
pub const MAX_EXPANSIONS: usize = 64;

/// The texts built so far, one per combination of the values chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansions {
    texts: Vec<String>,
}

impl Default for Expansions {
    fn default() -> Self {
        Self { texts: vec![String::new()] }
    }
}

impl Expansions {
    /// Appends `literal` to every text.
    pub fn literal(&mut self, literal: &str) {
        for text in &mut self.texts {
            text.push_str(literal);
        }
    }

    /// Appends each of `values` to each text; an error naming `what` is combined when that would
    /// make more than [`MAX_EXPANSIONS`] texts.
    pub fn choice(&mut self, values: &[String], what: &str) -> Result<(), String> {
        if self.texts.len() * values.len() > MAX_EXPANSIONS {
            return Err(format!("more than {MAX_EXPANSIONS} {what}"));
        }
        self.texts = self
            .texts
            .iter()
            .flat_map(|text| values.iter().map(move |value| format!("{text}{value}")))
            .collect();
        Ok(())
    }

    /// The texts, in the order of the values chosen.
    pub fn into_texts(self) -> Vec<String> {
        self.texts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|text| (*text).to_owned()).collect()
    }

    #[test]
    fn every_combination_in_order() {
        let mut expansions = Expansions::default();
        expansions.literal("os-");
        expansions.choice(&values(&["linux", "mac"]), "combinations").unwrap();
        expansions.literal("/");
        expansions.choice(&values(&["1", "2"]), "combinations").unwrap();
        assert_eq!(expansions.into_texts(), ["os-linux/1", "os-linux/2", "os-mac/1", "os-mac/2"]);
    }

    #[test]
    fn too_many_combinations_are_refused() {
        let eight = values(&["a", "b", "c", "d", "e", "f", "g", "h"]);
        let mut expansions = Expansions::default();
        expansions.choice(&eight, "matrix combinations").unwrap();
        expansions.choice(&eight, "matrix combinations").unwrap();
        let error = expansions.choice(&values(&["x", "y"]), "matrix combinations").unwrap_err();
        assert_eq!(error, "more than 64 matrix combinations");
    }
}
