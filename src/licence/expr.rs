//! A licence expression as a tree: licences joined by AND and OR, each licence with an optional
//! `WITH` exception. Built from the `spdx` crate's parse (which yields postfix nodes) so that
//! classification and policy can walk it, and written back in SPDX syntax with every compound
//! operand in parentheses (`MIT AND (Apache-2.0 OR ISC)`, `(MIT AND ISC) OR Zlib`), so that a
//! reader need not know that `AND` binds tighter than `OR`.

use std::fmt;

use serde::{Serialize, Serializer};
use spdx::expression::{ExprNode, Operator};
use spdx::{AdditionItem, LicenseItem, LicenseReq};

/// One licence of an expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Licence {
    /// The SPDX identifier (`MIT`, `GPL-2.0-only`) or `LicenseRef-…`.
    pub id: String,
    /// Whether a `+` follows the identifier (this version or any later one). GNU licences say
    /// this in their identifier (`-or-later`) instead.
    pub or_later: bool,
    /// The exception after `WITH`, where there is one.
    pub exception: Option<String>,
}

impl Licence {
    /// A licence with no `+` and no exception.
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into(), or_later: false, exception: None }
    }

    /// The identifier as written, with its `+` (without the exception).
    pub fn id_with_plus(&self) -> String {
        if self.or_later {
            format!("{}+", self.id)
        } else {
            self.id.clone()
        }
    }

    /// Whether this is a `LicenseRef-` rather than an identifier of the SPDX list.
    pub fn is_licence_ref(&self) -> bool {
        self.id.starts_with("LicenseRef-") || self.id.starts_with("DocumentRef-")
    }

    fn from_req(req: &LicenseReq) -> Self {
        let (id, or_later) = match &req.license {
            LicenseItem::Spdx { id, or_later } => (id.name.to_owned(), *or_later),
            LicenseItem::Other(reference) => (reference.to_string(), false),
        };
        let exception = req.addition.as_ref().map(|addition| match addition {
            AdditionItem::Spdx(id) => id.name.to_owned(),
            AdditionItem::Other(reference) => reference.to_string(),
        });
        Self { id, or_later, exception }
    }
}

impl fmt::Display for Licence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)?;
        if self.or_later {
            f.write_str("+")?;
        }
        if let Some(exception) = &self.exception {
            write!(f, " WITH {exception}")?;
        }
        Ok(())
    }
}

/// A licence expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    /// One licence.
    Licence(Licence),
    /// Every operand applies (at least two; none is itself an `And`).
    And(Vec<Expr>),
    /// Any one operand may be chosen (at least two; none is itself an `Or`).
    Or(Vec<Expr>),
}

impl Expr {
    /// The tree of a parsed expression. The `spdx` crate only hands out valid expressions, whose
    /// postfix form always reduces to one tree; `None` would mean it did not.
    pub fn from_spdx(expression: &spdx::Expression) -> Option<Self> {
        let mut stack: Vec<Expr> = Vec::new();
        for node in expression.iter() {
            match node {
                ExprNode::Req(req) => stack.push(Expr::Licence(Licence::from_req(&req.req))),
                ExprNode::Op(op) => {
                    let right = stack.pop()?;
                    let left = stack.pop()?;
                    stack.push(Self::join(*op, left, right));
                }
            }
        }
        let tree = stack.pop()?;
        stack.is_empty().then_some(tree)
    }

    /// `left op right`, flattened so that `a AND (b AND c)` is one `And` of three.
    fn join(op: Operator, left: Expr, right: Expr) -> Expr {
        let mut operands = Vec::new();
        for side in [left, right] {
            match (op, side) {
                (Operator::And, Expr::And(inner)) | (Operator::Or, Expr::Or(inner)) => operands.extend(inner),
                (_, other) => operands.push(other),
            }
        }
        match op {
            Operator::And => Expr::And(operands),
            Operator::Or => Expr::Or(operands),
        }
    }

    /// Every licence in the expression, left to right.
    pub fn licences(&self) -> Vec<&Licence> {
        let mut out = Vec::new();
        self.collect_licences(&mut out);
        out
    }

    fn collect_licences<'a>(&'a self, out: &mut Vec<&'a Licence>) {
        match self {
            Expr::Licence(licence) => out.push(licence),
            Expr::And(operands) | Expr::Or(operands) => {
                operands.iter().for_each(|operand| operand.collect_licences(out));
            }
        }
    }

    /// Whether every licence is an identifier of the SPDX list (no `LicenseRef-`).
    pub fn is_spdx_listed(&self) -> bool {
        self.licences().iter().all(|licence| !licence.is_licence_ref())
    }

    /// The expressions joined with AND, flattened, leaving out repeats.
    pub fn all_of(expressions: Vec<Expr>) -> Option<Expr> {
        let mut operands: Vec<Expr> = Vec::new();
        for expression in expressions {
            let parts = match expression {
                Expr::And(inner) => inner,
                other => vec![other],
            };
            for part in parts {
                if !operands.contains(&part) {
                    operands.push(part);
                }
            }
        }
        match operands.len() {
            0 => None,
            1 => operands.pop(),
            _ => Some(Expr::And(operands)),
        }
    }

    fn write_operand(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Licence(licence) => write!(f, "{licence}"),
            compound => write!(f, "({compound})"),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (operands, word) = match self {
            Expr::Licence(licence) => return write!(f, "{licence}"),
            Expr::And(operands) => (operands, " AND "),
            Expr::Or(operands) => (operands, " OR "),
        };
        for (index, operand) in operands.iter().enumerate() {
            if index > 0 {
                f.write_str(word)?;
            }
            operand.write_operand(f)?;
        }
        Ok(())
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Expr {
        let parsed = spdx::Expression::parse(text).unwrap();
        Expr::from_spdx(&parsed).unwrap()
    }

    #[test]
    fn writes_back_with_compound_operands_in_parentheses() {
        for (input, output) in [
            ("MIT", "MIT"),
            ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
            ("(MIT OR Apache-2.0)", "MIT OR Apache-2.0"),
            ("MIT AND (Apache-2.0 OR BSD-3-Clause)", "MIT AND (Apache-2.0 OR BSD-3-Clause)"),
            ("MIT AND Zlib OR Apache-2.0", "(MIT AND Zlib) OR Apache-2.0"),
            ("MIT AND (Zlib AND ISC)", "MIT AND Zlib AND ISC"),
            ("Apache-2.0 WITH LLVM-exception OR MIT", "Apache-2.0 WITH LLVM-exception OR MIT"),
            ("LicenseRef-Foo AND Apache-2.0+", "LicenseRef-Foo AND Apache-2.0+"),
        ] {
            let expr = tree(input);
            assert_eq!(expr.to_string(), output, "{input}");
            assert_eq!(tree(output), expr, "{output} reads back as the same tree");
        }
    }

    #[test]
    fn lists_licences_and_tells_listed_ids_from_refs() {
        let expr = tree("MIT AND (LicenseRef-X OR GPL-2.0-only WITH Classpath-exception-2.0)");
        let ids: Vec<String> = expr.licences().iter().map(|l| l.to_string()).collect();
        assert_eq!(ids, ["MIT", "LicenseRef-X", "GPL-2.0-only WITH Classpath-exception-2.0"]);
        assert!(!expr.is_spdx_listed());
        assert!(tree("MIT OR Apache-2.0").is_spdx_listed());
    }

    #[test]
    fn all_of_joins_with_and_without_repeats() {
        let joined = Expr::all_of(vec![tree("MIT"), tree("MIT AND ISC"), tree("Zlib OR MIT")]).unwrap();
        assert_eq!(joined.to_string(), "MIT AND ISC AND (Zlib OR MIT)");
        assert_eq!(Expr::all_of(vec![tree("MIT"), tree("MIT")]).unwrap().to_string(), "MIT");
        assert_eq!(Expr::all_of(Vec::new()), None);
    }
}
