//! The run configuration file (TOML) and the mapping of input columns to
//! fields.
//!
//! ```toml
//! [columns]            # which header names which field; others are matched
//! record_id = "rec_id" # by common names, ignoring case, `_`, `-` and spaces
//! first_name = "given_name"
//!
//! [input]
//! date_format = "%Y%m%d"
//! postal_country = "AU"
//!
//! [[rules]]            # optional: replaces the default rule set
//! id = "t_ln_fn_dob"
//! fields = ["last_name", "first_name", "birth_date"]
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::field::{header_key, Field, RECORD_ID_ALIASES};
use crate::rule::{is_column_name, Part, Rule};

/// The parsed configuration file. Every section is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Column names per field.
    #[serde(default)]
    pub columns: ColumnsConfig,
    /// How to read values.
    #[serde(default)]
    pub input: InputConfig,
    /// What to write besides tokens.
    #[serde(default)]
    pub output: OutputConfig,
    /// A rule set replacing the default one.
    pub rules: Option<Vec<RuleConfig>>,
}

/// `[columns]`: the header name of each field's column.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnsConfig {
    /// Record id column.
    pub record_id: Option<String>,
    /// First name column.
    pub first_name: Option<String>,
    /// Last name column.
    pub last_name: Option<String>,
    /// Birth date column.
    pub birth_date: Option<String>,
    /// Sex column.
    pub sex: Option<String>,
    /// Postal code column.
    pub postal_code: Option<String>,
    /// SSN column.
    pub ssn: Option<String>,
}

impl ColumnsConfig {
    /// The configured column name of a field.
    pub fn field(&self, field: Field) -> Option<&str> {
        match field {
            Field::FirstName => self.first_name.as_deref(),
            Field::LastName => self.last_name.as_deref(),
            Field::BirthDate => self.birth_date.as_deref(),
            Field::Sex => self.sex.as_deref(),
            Field::PostalCode => self.postal_code.as_deref(),
            Field::Ssn => self.ssn.as_deref(),
        }
    }
}

/// `[input]`: how values are written in the extract.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputConfig {
    /// Birth date format (chrono `strftime`), default `%Y-%m-%d`.
    pub date_format: Option<String>,
    /// ISO country of postal codes, default `US`.
    pub postal_country: Option<String>,
    /// CSV delimiter, one ASCII character.
    pub delimiter: Option<String>,
    /// CSV encoding: `utf-8`, `latin1`, `windows-1252`.
    pub encoding: Option<String>,
    /// Accept Excel serial numbers as birth dates.
    pub excel_serial_dates: Option<bool>,
}

/// `[output]`: columns to pass through in clear.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// Input columns copied to the output unchanged.
    #[serde(default)]
    pub pass_through: Vec<String>,
}

/// One `[[rules]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// The rule id and output column name.
    pub id: String,
    /// Parts in order: `last_name`, `first_name[1]`, …
    pub fields: Vec<String>,
}

impl Config {
    /// Reads and parses a config file.
    ///
    /// # Errors
    /// [`Error::Config`] with the file name and the TOML parser's position
    /// (the config holds no personal data, so its message may be shown).
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("{}: cannot read: {e}", path.display())))?;
        toml::from_str(&text)
            .map_err(|e| Error::Config(format!("{}: {}", path.display(), e.message().trim_end())))
    }

    /// The rules of the config, if it has any.
    ///
    /// # Errors
    /// [`Error::Config`] for a bad id, an unknown field or duplicate ids.
    pub fn rules(&self) -> Result<Option<Vec<Rule>>> {
        let Some(list) = &self.rules else {
            return Ok(None);
        };
        let mut rules = Vec::new();
        for rc in list {
            let parts = rc
                .fields
                .iter()
                .map(|f| Part::parse(f))
                .collect::<Result<Vec<_>>>()?;
            let rule = Rule::new(&rc.id, parts)?;
            if rules.iter().any(|r: &Rule| r.id == rule.id) {
                return Err(Error::Config(format!("rule id {} appears twice", rule.id)));
            }
            rules.push(rule);
        }
        if rules.is_empty() {
            return Err(Error::Config("the config's rule list is empty".into()));
        }
        Ok(Some(rules))
    }
}

/// Which input column holds what.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    /// The record id column.
    pub record_id: Option<usize>,
    /// Each field's column, by [`Field::index`].
    pub fields: [Option<usize>; 6],
    /// Pass-through columns: input index and output name.
    pub pass_through: Vec<(usize, String)>,
}

/// How header names are recognised when the config does not name a column.
pub trait Aliases {
    /// The field a folded header names, if any.
    fn field(&self, folded: &str) -> Option<Field>;
    /// True when a folded header names the record id.
    fn is_record_id(&self, folded: &str) -> bool;
}

/// pprl's own header aliases ([`Field::header_aliases`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct PprlAliases;

impl Aliases for PprlAliases {
    fn field(&self, folded: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.header_aliases().contains(&folded))
    }

    fn is_record_id(&self, folded: &str) -> bool {
        RECORD_ID_ALIASES.contains(&folded)
    }
}

impl ColumnMap {
    /// Resolves the columns of a header.
    ///
    /// Configured names must exist (matched exactly, then ignoring case);
    /// other fields are found by alias. Pass-through columns must exist and
    /// get a lowercase output name valid for Glue and Clean Rooms.
    ///
    /// # Errors
    /// [`Error::Config`] for a configured column that is missing, a field
    /// two headers could name, or a bad pass-through column.
    pub fn resolve(
        headers: &[String],
        columns: &ColumnsConfig,
        pass_through: &[String],
        aliases: &dyn Aliases,
    ) -> Result<ColumnMap> {
        let mut map = ColumnMap::default();
        for field in Field::ALL {
            map.fields[field.index()] = match columns.field(field) {
                Some(name) => Some(find_named(headers, name, field.name())?),
                None => find_alias(headers, field.name(), |k| aliases.field(k) == Some(field))?,
            };
        }
        map.record_id = match &columns.record_id {
            Some(name) => Some(find_named(headers, name, "record_id")?),
            None => find_alias(headers, "record_id", |k| aliases.is_record_id(k))?,
        };
        for name in pass_through {
            let index = find_named(headers, name, "pass-through")?;
            let out = output_name(name)?;
            if map.pass_through.iter().any(|(_, n)| *n == out) {
                return Err(Error::Config(format!(
                    "pass-through column {out} given twice"
                )));
            }
            map.pass_through.push((index, out));
        }
        Ok(map)
    }
}

fn find_named(headers: &[String], name: &str, what: &str) -> Result<usize> {
    headers
        .iter()
        .position(|h| h == name)
        .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(name)))
        .ok_or_else(|| {
            Error::Config(format!(
                "column {name:?} (for {what}) is not in the input header"
            ))
        })
}

fn find_alias(headers: &[String], what: &str, is: impl Fn(&str) -> bool) -> Result<Option<usize>> {
    let found: Vec<usize> = (0..headers.len())
        .filter(|&i| is(&header_key(&headers[i])))
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        [a, b, ..] => Err(Error::Config(format!(
            "columns {:?} and {:?} could both be {what}; name one in the config",
            headers[*a], headers[*b]
        ))),
    }
}

/// The output name of a pass-through column: lowercased, other characters
/// replaced by `_`; it must then match `[a-z][a-z0-9_]*`.
pub fn output_name(header: &str) -> Result<String> {
    let name: String = header
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if is_column_name(&name) {
        Ok(name)
    } else {
        Err(Error::Config(format!(
            "pass-through column {header:?} has no valid output name ([a-z][a-z0-9_]*)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn aliases_match_common_headers() {
        let headers = h(&[
            "Rec_ID",
            "GivenName",
            "surname",
            "Date of Birth",
            "ZIP",
            "state",
        ]);
        let m = ColumnMap::resolve(&headers, &ColumnsConfig::default(), &[], &PprlAliases).unwrap();
        assert_eq!(m.record_id, Some(0));
        assert_eq!(m.fields[Field::FirstName.index()], Some(1));
        assert_eq!(m.fields[Field::BirthDate.index()], Some(3));
        assert_eq!(m.fields[Field::PostalCode.index()], Some(4));
        assert_eq!(m.fields[Field::Ssn.index()], None);
    }

    #[test]
    fn configured_column_must_exist() {
        let cols = ColumnsConfig {
            ssn: Some("soc".into()),
            ..Default::default()
        };
        let err = ColumnMap::resolve(&h(&["id"]), &cols, &[], &PprlAliases).unwrap_err();
        assert!(err.to_string().contains("\"soc\""));
    }

    #[test]
    fn ambiguous_alias_is_an_error() {
        let r = ColumnMap::resolve(
            &h(&["zip", "postcode"]),
            &Default::default(),
            &[],
            &PprlAliases,
        );
        assert!(r.is_err());
    }

    #[test]
    fn pass_through_names_are_sanitized() {
        assert_eq!(output_name("Age Band").unwrap(), "age_band");
        assert!(output_name("1x").is_err());
    }

    #[test]
    fn unknown_config_keys_are_rejected() {
        assert!(toml::from_str::<Config>("[columns]\nfirstname = \"x\"").is_err());
        let c: Config =
            toml::from_str("[[rules]]\nid = \"t_a\"\nfields = [\"last_name\", \"first_name[1]\"]")
                .unwrap();
        assert_eq!(c.rules().unwrap().unwrap()[0].parts.len(), 2);
    }
}
