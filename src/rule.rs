//! Token rules: which normalized fields, in which order, make a signature.
//!
//! Spec version 1 (`docs/spec.md`, "Rules and signatures"): the signature of
//! a rule is its id, then each part, joined by the ASCII unit separator
//! 0x1F. Normalized values never contain control characters, so the join is
//! unambiguous, and putting the id first makes tokens of different rules
//! differ even when they use the same fields.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::field::Field;

/// The separator between signature parts.
pub const SEPARATOR: u8 = 0x1F;

/// How much of a normalized field value a rule uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Take {
    /// The whole value.
    Whole,
    /// The first `n` characters (all of it when shorter).
    Prefix(usize),
}

/// One part of a rule: a field and how much of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// The field.
    pub field: Field,
    /// How much of its normalized value.
    pub take: Take,
}

impl Part {
    /// Parses a part as written in a config: `last_name`, or
    /// `first_name[1]` for the first character, `first_name[3]` for three.
    ///
    /// # Errors
    /// [`Error::Config`] for an unknown field or a bad length.
    pub fn parse(text: &str) -> Result<Part> {
        let text = text.trim();
        let (name, take) = match text.split_once('[') {
            None => (text, Take::Whole),
            Some((name, rest)) => {
                let n: usize = rest
                    .strip_suffix(']')
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or_else(|| Error::Config(format!("bad rule part {text:?}")))?;
                (name, Take::Prefix(n))
            }
        };
        let field = Field::from_name(name)
            .ok_or_else(|| Error::Config(format!("unknown field {name:?} in a rule")))?;
        Ok(Part { field, take })
    }

    /// The config spelling of this part.
    pub fn spelling(&self) -> String {
        match self.take {
            Take::Whole => self.field.name().to_string(),
            Take::Prefix(n) => format!("{}[{n}]", self.field.name()),
        }
    }

    /// The slice of a normalized value this part uses. Normalized values of
    /// spec v1 are ASCII, so characters are bytes.
    fn apply<'a>(&self, value: &'a str) -> &'a str {
        match self.take {
            Take::Whole => value,
            Take::Prefix(n) => &value[..value.len().min(n)],
        }
    }
}

/// A named combination of field parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The rule id; also the output column name.
    pub id: String,
    /// The parts, in signature order.
    pub parts: Vec<Part>,
}

impl Rule {
    /// Builds a rule, checking that its id is a valid column name for Glue,
    /// Athena and Clean Rooms: `[a-z][a-z0-9_]*`, at most 127 characters
    /// (AWS Clean Rooms `AnalysisRuleColumnName`).
    ///
    /// # Errors
    /// [`Error::Config`] for a bad id or no parts.
    pub fn new(id: &str, parts: Vec<Part>) -> Result<Rule> {
        if !is_column_name(id) {
            return Err(Error::Config(format!(
                "rule id {id:?} must match [a-z][a-z0-9_]* and be at most 127 characters"
            )));
        }
        if parts.is_empty() {
            return Err(Error::Config(format!("rule {id} has no fields")));
        }
        Ok(Rule {
            id: id.to_string(),
            parts,
        })
    }

    /// The fields this rule needs.
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        self.parts.iter().map(|p| p.field)
    }

    /// Writes the signature into `out` (cleared first), given the normalized
    /// value of each field indexed by [`Field::index`]. Returns false, with
    /// `out` unspecified, when a needed field has no valid value.
    pub fn signature(&self, values: &[Option<&str>; 6], out: &mut Vec<u8>) -> bool {
        out.clear();
        self.append_signature(values, out)
    }

    /// Like [`Rule::signature`], but appends to `out`, so that one buffer
    /// can hold a whole row's signatures. Returns false, with `out` as it
    /// was, when a needed field has no valid value.
    pub fn append_signature(&self, values: &[Option<&str>; 6], out: &mut Vec<u8>) -> bool {
        let start = out.len();
        out.extend_from_slice(self.id.as_bytes());
        for part in &self.parts {
            let Some(value) = values[part.field.index()] else {
                out.truncate(start);
                return false;
            };
            out.push(SEPARATOR);
            out.extend_from_slice(part.apply(value).as_bytes());
        }
        true
    }
}

/// True for names Glue, Athena and Clean Rooms all accept.
pub fn is_column_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && name.len() <= 127
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
}

/// The default rule set of spec version 1. Four of the six rules need
/// neither sex nor SSN, which many extracts lack.
pub fn default_rules() -> Vec<Rule> {
    let r = |id: &str, parts: &[&str]| Rule {
        id: id.to_string(),
        parts: parts
            .iter()
            .map(|p| Part::parse(p).expect("built-in rule"))
            .collect(),
    };
    vec![
        r("t_ln_fn_dob", &["last_name", "first_name", "birth_date"]),
        r(
            "t_ln_fn_dob_sex",
            &["last_name", "first_name", "birth_date", "sex"],
        ),
        r(
            "t_ln_fi_dob_zip",
            &["last_name", "first_name[1]", "birth_date", "postal_code"],
        ),
        r("t_fn_dob_zip", &["first_name", "birth_date", "postal_code"]),
        r(
            "t_ln_fn3_dob",
            &["last_name", "first_name[3]", "birth_date"],
        ),
        r("t_ssn_dob", &["ssn", "birth_date"]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_joins_id_and_parts() {
        let rule = Rule::new(
            "t_x",
            vec![
                Part::parse("last_name").unwrap(),
                Part::parse("first_name[1]").unwrap(),
            ],
        )
        .unwrap();
        let mut values = [None; 6];
        values[Field::LastName.index()] = Some("SMITH");
        values[Field::FirstName.index()] = Some("JOHN");
        let mut out = Vec::new();
        assert!(rule.signature(&values, &mut out));
        assert_eq!(out, b"t_x\x1fSMITH\x1fJ");
        values[Field::FirstName.index()] = None;
        assert!(!rule.signature(&values, &mut out));

        out = b"kept".to_vec();
        assert!(!rule.append_signature(&values, &mut out));
        assert_eq!(out, b"kept", "a rule without its fields appends nothing");
    }

    #[test]
    fn column_names_follow_aws_rules() {
        assert!(is_column_name("t_ln_fn_dob"));
        assert!(!is_column_name("T1"));
        assert!(!is_column_name("1t"));
        assert!(!is_column_name("a-b"));
        assert!(!is_column_name(&"a".repeat(128)));
    }

    #[test]
    fn default_rules_have_valid_ids() {
        for rule in default_rules() {
            assert!(is_column_name(&rule.id));
        }
    }
}
