//! The identifying fields pprl knows, and why a value of one can be unusable.

use std::fmt;

/// An identifying field of a person record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// Given name.
    FirstName,
    /// Family name.
    LastName,
    /// Date of birth.
    BirthDate,
    /// Administrative sex.
    Sex,
    /// Postal (ZIP) code.
    PostalCode,
    /// US Social Security Number.
    Ssn,
}

impl Field {
    /// Every field, in spec order.
    pub const ALL: [Field; 6] = [
        Field::FirstName,
        Field::LastName,
        Field::BirthDate,
        Field::Sex,
        Field::PostalCode,
        Field::Ssn,
    ];

    /// The field's name in configs, metadata and rejects files.
    pub fn name(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::BirthDate => "birth_date",
            Field::Sex => "sex",
            Field::PostalCode => "postal_code",
            Field::Ssn => "ssn",
        }
    }

    /// Parses a field name as written in a config (`first_name`, …).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Header names recognised for this field when no config names the
    /// column. They are compared after [`header_key`] folding.
    pub fn header_aliases(self) -> &'static [&'static str] {
        match self {
            Field::FirstName => &["firstname", "givenname", "fname", "first", "forename"],
            Field::LastName => &["lastname", "surname", "familyname", "lname", "last"],
            Field::BirthDate => &["birthdate", "dob", "dateofbirth", "birthday"],
            Field::Sex => &["sex", "gender"],
            Field::PostalCode => &["postalcode", "zip", "zipcode", "postcode", "zip5"],
            Field::Ssn => &["ssn", "socialsecuritynumber", "socialsecurityno"],
        }
    }

    /// A stable index, `0..6`, for per-field arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Header names recognised for the record id column.
pub const RECORD_ID_ALIASES: &[&str] = &["recordid", "recid", "id", "patientid", "personid"];

/// Folds a header for alias matching: lowercase, with `_`, `-`, spaces and
/// a leading byte-order mark removed. `First_Name`, `first-name` and
/// `FirstName` all fold to `firstname`.
pub fn header_key(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Why a field value cannot be used in a token. Counted per field in the
/// metadata and written to the rejects file; never carries the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Invalid {
    /// Empty or whitespace only.
    Missing,
    /// A well-known placeholder (UNKNOWN, TEST, 999-99-9999, …).
    Placeholder,
    /// Nothing usable remains after normalization (for example a name in a
    /// script with no Latin letters).
    EmptyAfterNormalization,
    /// Does not match the declared or expected format.
    Format,
    /// A date that does not exist in the calendar (February 30).
    ImpossibleDate,
    /// A birth date after the run's as-of date.
    FutureDate,
    /// A birth date before the earliest accepted date.
    TooOld,
    /// A sex code that is not male or female (unknown, other, …).
    UnknownCode,
    /// An SSN whose area, group or serial number is never issued.
    NotIssued,
    /// Too short to be meaningful (for example a one-letter surname).
    TooShort,
}

impl Invalid {
    /// The reason code used in metadata and rejects files.
    pub fn code(self) -> &'static str {
        match self {
            Invalid::Missing => "missing",
            Invalid::Placeholder => "placeholder",
            Invalid::EmptyAfterNormalization => "empty_after_normalization",
            Invalid::Format => "bad_format",
            Invalid::ImpossibleDate => "impossible_date",
            Invalid::FutureDate => "future_date",
            Invalid::TooOld => "too_old",
            Invalid::UnknownCode => "unknown_code",
            Invalid::NotIssued => "not_issued",
            Invalid::TooShort => "too_short",
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_key_ignores_case_and_separators() {
        assert_eq!(header_key("First_Name"), "firstname");
        assert_eq!(header_key("first-name"), "firstname");
        assert_eq!(header_key("\u{feff}Date Of Birth"), "dateofbirth");
    }

    #[test]
    fn names_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::from_name(f.name()), Some(f));
        }
    }
}
