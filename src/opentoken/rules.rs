//! OpenToken's token rules T1–T5 (token definition version 2.0).
//!
//! A rule lists attributes in a fixed order, each with an expression that
//! shapes its normalized value: uppercase, and for some a prefix
//! (`S(0,1)`, `S(0,3)`) or the digits only (`M(\d+)`). The shaped values
//! are joined with `|`, without tags or length prefixes.

use crate::field::Field;

/// How a normalized attribute value enters a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `T|U` (and `T|D` for dates, already `yyyy-MM-dd`): uppercase.
    Upper,
    /// `T|S(0,n)|U`: the first `n` characters, uppercase.
    Prefix(usize),
    /// `T|M(\d+)`: the ASCII digits only.
    Digits,
}

/// One rule: its id and its attributes in signature order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuleDef {
    pub id: &'static str,
    pub parts: &'static [(Field, Shape)],
}

use Field::{BirthDate, FirstName, LastName, PostalCode, Sex, Ssn};
use Shape::{Digits, Prefix, Upper};

/// The five rules, in output order.
pub(crate) const RULES: [RuleDef; 5] = [
    RuleDef {
        id: "T1",
        parts: &[
            (LastName, Upper),
            (FirstName, Prefix(1)),
            (Sex, Upper),
            (BirthDate, Upper),
        ],
    },
    RuleDef {
        id: "T2",
        parts: &[
            (LastName, Upper),
            (FirstName, Upper),
            (BirthDate, Upper),
            (PostalCode, Prefix(3)),
        ],
    },
    RuleDef {
        id: "T3",
        parts: &[
            (LastName, Upper),
            (FirstName, Upper),
            (Sex, Upper),
            (BirthDate, Upper),
        ],
    },
    RuleDef {
        id: "T4",
        parts: &[(Ssn, Digits), (Sex, Upper), (BirthDate, Upper)],
    },
    RuleDef {
        id: "T5",
        parts: &[(LastName, Upper), (FirstName, Prefix(3)), (Sex, Upper)],
    },
];

/// Appends `value` shaped by `shape` to `out`. Normalized values are ASCII
/// except for dates and codes, which are ASCII too, so byte-wise
/// uppercasing equals Java's `toUpperCase` here.
pub(crate) fn push_shaped(out: &mut String, value: &str, shape: Shape) {
    match shape {
        Shape::Upper => push_upper(out, value),
        Shape::Prefix(n) => {
            let end = value.char_indices().nth(n).map_or(value.len(), |(i, _)| i);
            push_upper(out, &value[..end]);
        }
        Shape::Digits => out.extend(value.chars().filter(char::is_ascii_digit)),
    }
}

/// Appends `value` with its ASCII letters uppercased, in place.
fn push_upper(out: &mut String, value: &str) {
    let start = out.len();
    out.push_str(value);
    out[start..].make_ascii_uppercase();
}

/// Builds a rule's signature into `out` from per-field normalized values.
/// Shaped values that come out blank are left out of the join, as
/// OpenToken does; every normalized value is non-empty, so this only
/// guards the invariant.
pub(crate) fn build_signature(rule: &RuleDef, values: &[Option<&str>; 6], out: &mut String) {
    out.clear();
    for &(field, shape) in rule.parts {
        let Some(value) = values[field.index()] else {
            continue;
        };
        let sep = out.len();
        if sep > 0 {
            out.push('|');
        }
        let start = out.len();
        push_shaped(out, value, shape);
        if super::text::is_blank(&out[start..]) {
            out.truncate(sep);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_shapes() {
        let mut values: [Option<&str>; 6] = [None; 6];
        values[FirstName.index()] = Some("John");
        values[LastName.index()] = Some("Doe");
        values[BirthDate.index()] = Some("2000-01-01");
        values[Sex.index()] = Some("Male");
        values[PostalCode.index()] = Some("K1A 0B1");
        values[Ssn.index()] = Some("536-22-1234");
        let want = [
            "DOE|J|MALE|2000-01-01",
            "DOE|JOHN|2000-01-01|K1A",
            "DOE|JOHN|MALE|2000-01-01",
            "536221234|MALE|2000-01-01",
            "DOE|JOH|MALE",
        ];
        let mut sig = String::new();
        for (rule, want) in RULES.iter().zip(want) {
            build_signature(rule, &values, &mut sig);
            assert_eq!(sig, want, "{}", rule.id);
        }
    }
}
