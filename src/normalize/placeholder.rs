//! Placeholder values: fillers that systems and people write when the real
//! value is unknown, and that would link unrelated people if tokenized.
//!
//! Every list here is part of spec version 1 (`docs/spec.md`,
//! "Normalization", placeholder tables). Adding or removing an entry
//! changes which tokens are produced, so it is a new spec version.
//!
//! The lists are sorted in ASCII byte order so that lookups are a binary
//! search; a unit test keeps them sorted and free of duplicates.

use std::cmp::Ordering;

/// Missing-value markers written by databases, spreadsheets and statistics
/// tools (`NULL` from SQL exports, `#N/A` from Excel, `NA` from R, `nan`
/// from pandas). Compared with the raw value after trimming and ASCII
/// uppercasing, for birth dates, sex codes, postal codes and SSNs.
///
/// Names do not use this list: `NAN` and `NIL` are real given names, so
/// names have their own lists below.
pub const MISSING_MARKERS: &[&str] = &[
    "#N/A", "#NA", "(NULL)", "-", "--", "---", ".", "<NULL>", "?", "??", "???", "N.A.", "N/A",
    "NA", "NAN", "NIL", "NONE", "NULL", "UNK", "UNKNOWN",
];

/// Normalized names that are placeholders in both name fields.
///
/// `DOE` alone is deliberately absent: it is a real surname. `JOHNDOE` and
/// `JANEDOE` are here because a whole "John Doe" written into one name field
/// is an alias for an unidentified person; a record with first name John and
/// last name Doe cannot be told apart from a real John Doe by a normalizer
/// that sees one field at a time. `FNU`, `LNU`, `NFN` and `NLN` (first or last
/// name unknown, no first or last name) are the markers US federal agencies
/// use for people with a single name. `NA` collides with the Korean surname
/// Na; spec v1 treats it as R's missing-value marker, which is far more
/// frequent in extracts.
pub const NAME_PLACEHOLDERS: &[&str] = &[
    "ANONYMOUS",
    "ASDF",
    "BABYBOY",
    "BABYDOE",
    "BABYGIRL",
    "DUMMY",
    "FNU",
    "INFANT",
    "JANEDOE",
    "JOHNDOE",
    "LNU",
    "MISSING",
    "NA",
    "NEWBORN",
    "NFN",
    "NLN",
    "NOFIRSTNAME",
    "NOLASTNAME",
    "NONAME",
    "NONE",
    "NOTAPPLICABLE",
    "NOTAVAILABLE",
    "NOTGIVEN",
    "NOTKNOWN",
    "NOTPROVIDED",
    "NULL",
    "PATIENT",
    "QWERTY",
    "TBD",
    "TEST",
    "TESTPATIENT",
    "UNAVAILABLE",
    "UNK",
    "UNKNOWN",
    "UNKNOWNPATIENT",
    "UNNAMED",
];

/// Normalized first names that are placeholders in the first-name field
/// only: what hospitals write for a newborn not yet named. As surnames
/// some of them are real (Baby, Boy), and Baby is also a given name in
/// Kerala; spec v1 accepts losing those rare first names.
pub const FIRST_NAME_PLACEHOLDERS: &[&str] = &["BABY", "BOY", "FEMALE", "GIRL", "MALE"];

/// Five-digit US ZIP codes used as fillers. 00000, 11111 and 99999 are not
/// assigned; 12345 is a unique ZIP of a single company (General Electric,
/// Schenectady NY), where no patient lives. Other repeated-digit ZIPs are
/// real (44444 is Newton Falls, Ohio), so there is no repeated-digit rule.
pub const ZIP_PLACEHOLDERS: &[&str] = &["00000", "11111", "12345", "99999"];

/// Nine-digit SSNs that are fillers or publicly known examples, checked
/// before the SSA issuance rules so they are counted as placeholders:
///
/// - a digit repeated nine times (000-00-0000 … 999-99-9999);
/// - the sequences 012-34-5678, 123-45-6789, 987-65-4321 and 111-22-3333;
/// - 078-05-1120, printed on the sample card sold in Woolworth wallets in
///   1938 and then used by thousands of people (SSA history pages);
/// - 219-09-9999, printed on an SSA pamphlet in 1940;
/// - 987-65-4320 to 987-65-4329, reserved by SSA for advertising.
pub const SSN_PLACEHOLDERS: &[&str] = &[
    "000000000",
    "012345678",
    "078051120",
    "111111111",
    "111223333",
    "123456789",
    "219099999",
    "222222222",
    "333333333",
    "444444444",
    "555555555",
    "666666666",
    "777777777",
    "888888888",
    "987654320",
    "987654321",
    "987654322",
    "987654323",
    "987654324",
    "987654325",
    "987654326",
    "987654327",
    "987654328",
    "987654329",
    "999999999",
];

/// Birth dates used as fillers, as `(year, month, day)`: system minimum
/// dates (0001-01-01 in .NET, 1753-01-01 in SQL Server `datetime`, 1800,
/// 1900 and 1901 defaults), spreadsheet epochs (1899-12-30 is serial 0 of
/// OLE Automation and Excel-on-Windows arithmetic, 1899-12-31 is Excel's
/// "day 0"), and far-future "never" dates. 1970-01-01, the Unix epoch, is
/// absent on purpose: many people were born that day.
pub const DATE_PLACEHOLDERS: &[(i32, u32, u32)] = &[
    (1, 1, 1),
    (1111, 11, 11),
    (1753, 1, 1),
    (1800, 1, 1),
    (1899, 12, 30),
    (1899, 12, 31),
    (1900, 1, 1),
    (1901, 1, 1),
    (2999, 12, 31),
    (9999, 1, 1),
    (9999, 12, 31),
];

/// A sorted list with a quick rejection test in front of its binary
/// search: for each first byte, and for each last byte, a bit per entry
/// length (below 32). Most values (real names, ZIP codes) share no first
/// byte and length, or no last byte and length, with any entry and
/// are rejected by two table loads; these lookups run for several fields
/// of every record. (With the first byte alone, common names such as
/// six-letter names starting with N still went to the search.)
pub(crate) struct Lookup {
    list: &'static [&'static str],
    lengths_by_first: [u32; 256],
    lengths_by_last: [u32; 256],
}

impl Lookup {
    /// Builds the tables at compile time.
    pub(crate) const fn new(list: &'static [&'static str]) -> Lookup {
        let mut lengths_by_first = [0u32; 256];
        let mut lengths_by_last = [0u32; 256];
        let mut i = 0;
        while i < list.len() {
            let entry = list[i].as_bytes();
            if !entry.is_empty() && entry.len() < 32 {
                lengths_by_first[entry[0] as usize] |= 1 << entry.len();
                lengths_by_last[entry[entry.len() - 1] as usize] |= 1 << entry.len();
            } else if !entry.is_empty() {
                // Entries of 32 bytes or more are not covered by the
                // length bits: let every value through to the search.
                lengths_by_first = [u32::MAX; 256];
                lengths_by_last = [u32::MAX; 256];
            }
            i += 1;
        }
        Lookup {
            list,
            lengths_by_first,
            lengths_by_last,
        }
    }

    /// True when `value` is an entry.
    pub(crate) fn contains(&self, value: &[u8]) -> bool {
        if let (Some(&first), Some(&last)) = (value.first(), value.last()) {
            let bits =
                self.lengths_by_first[usize::from(first)] & self.lengths_by_last[usize::from(last)];
            if value.len() < 32 && bits & (1 << value.len()) == 0 {
                return false;
            }
        }
        listed_bytes(self.list, value)
    }
}

/// [`NAME_PLACEHOLDERS`] with its quick rejection table.
static NAMES: Lookup = Lookup::new(NAME_PLACEHOLDERS);
/// [`FIRST_NAME_PLACEHOLDERS`] with its quick rejection table.
static FIRST_NAMES: Lookup = Lookup::new(FIRST_NAME_PLACEHOLDERS);
/// [`ZIP_PLACEHOLDERS`] with its quick rejection table.
pub(crate) static ZIPS: Lookup = Lookup::new(ZIP_PLACEHOLDERS);
/// [`SSN_PLACEHOLDERS`] as numbers, in the same order (nine-digit strings
/// sort as their numbers). Any digit can start or end an entry, so the
/// rejection tables of [`Lookup`] let every SSN through to the search;
/// comparing numbers is what keeps the search cheap.
static SSN_NUMBERS: [u32; SSN_PLACEHOLDERS.len()] = ssn_numbers();

const fn ssn_numbers() -> [u32; SSN_PLACEHOLDERS.len()] {
    let mut numbers = [0u32; SSN_PLACEHOLDERS.len()];
    let mut i = 0;
    while i < numbers.len() {
        numbers[i] = nine_digits(SSN_PLACEHOLDERS[i].as_bytes());
        i += 1;
    }
    numbers
}

/// The number nine ASCII digits write.
const fn nine_digits(digits: &[u8]) -> u32 {
    assert!(digits.len() == 9);
    let mut n = 0u32;
    let mut i = 0;
    while i < 9 {
        assert!(digits[i].is_ascii_digit());
        n = n * 10 + (digits[i] - b'0') as u32;
        i += 1;
    }
    n
}

/// True when nine ASCII digits are a listed SSN placeholder.
pub(crate) fn is_ssn_placeholder(digits: &[u8]) -> bool {
    SSN_NUMBERS.binary_search(&nine_digits(digits)).is_ok()
}

/// True when `value` is in the sorted `list`.
pub fn listed(list: &[&str], value: &str) -> bool {
    listed_bytes(list, value.as_bytes())
}

/// [`listed`] for a value held as bytes.
pub(crate) fn listed_bytes(list: &[&str], value: &[u8]) -> bool {
    list.binary_search_by(|e| cmp_short(e.as_bytes(), value))
        .is_ok()
}

/// Byte order of two short strings. The standard comparison calls
/// `memcmp`, whose call overhead dominates for the few bytes compared
/// here; these lookups run for every field of every record.
fn cmp_short(a: &[u8], b: &[u8]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// True when the trimmed raw value is a missing-value marker.
pub fn is_missing_marker(trimmed: &str) -> bool {
    // Every marker starts with one of these bytes; most values (digits,
    // letters other than N and U) are rejected here.
    let first = trimmed.as_bytes().first().map(u8::to_ascii_uppercase);
    if !matches!(
        first,
        Some(b'#' | b'(' | b'-' | b'.' | b'<' | b'?' | b'N' | b'U')
    ) {
        return false;
    }
    // The longest marker is 7 bytes; longer values cannot match, and a
    // stack buffer avoids allocating.
    let mut buf = [0u8; 8];
    let Some(upper) = ascii_upper(trimmed, &mut buf) else {
        return false;
    };
    listed(MISSING_MARKERS, upper)
}

/// True when a normalized name (A–Z only) is a placeholder: listed, a
/// listed placeholder repeated (`TESTTEST`), or one letter written three or
/// more times (`XXX`, `ZZZZ`).
pub fn is_name_placeholder(normalized: &str, first_name: bool) -> bool {
    let is_listed = |s: &str| {
        NAMES.contains(s.as_bytes()) || (first_name && FIRST_NAMES.contains(s.as_bytes()))
    };
    if is_listed(normalized) {
        return true;
    }

    // A value made of copies of its first `p` bytes. A plain loop that
    // tests one byte before dividing: most names fail at once, and the
    // iterator chain it replaces was not inlined.
    let bytes = normalized.as_bytes();
    let len = bytes.len();
    for p in 1..=len / 2 {
        if bytes[p] != bytes[0] || len % p != 0 || bytes[p..] != bytes[..len - p] {
            continue;
        }
        if (p == 1 && len >= 3) || is_listed(&normalized[..p]) {
            return true;
        }
    }
    false
}

/// Uppercases an ASCII value into `buf`; `None` when it does not fit or is
/// not ASCII (no marker is).
fn ascii_upper<'b>(s: &str, buf: &'b mut [u8; 8]) -> Option<&'b str> {
    if s.len() > buf.len() || !s.is_ascii() {
        return None;
    }
    let out = &mut buf[..s.len()];
    out.copy_from_slice(s.as_bytes());
    out.make_ascii_uppercase();
    std::str::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_sorted_unique(list: &[&str]) {
        for pair in list.windows(2) {
            assert!(
                pair[0] < pair[1],
                "{:?} must sort before {:?}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn ssn_numbers_agree_with_the_list() {
        assert!(SSN_NUMBERS.windows(2).all(|w| w[0] < w[1]));
        for entry in SSN_PLACEHOLDERS {
            assert!(is_ssn_placeholder(entry.as_bytes()), "{entry}");
        }
        for other in [
            "000000001",
            "123456788",
            "987654330",
            "078051121",
            "999999998",
        ] {
            assert!(!is_ssn_placeholder(other.as_bytes()), "{other}");
        }
    }

    #[test]
    fn quick_lookups_agree_with_the_lists() {
        let lists = [
            (&NAMES, NAME_PLACEHOLDERS),
            (&FIRST_NAMES, FIRST_NAME_PLACEHOLDERS),
            (&ZIPS, ZIP_PLACEHOLDERS),
        ];
        for (lookup, list) in lists {
            for entry in list {
                assert!(lookup.contains(entry.as_bytes()), "{entry}");
                let longer = format!("{entry}X");
                assert_eq!(lookup.contains(longer.as_bytes()), listed(list, &longer));
                assert_eq!(
                    lookup.contains(&entry.as_bytes()[1..]),
                    listed(list, &entry[1..])
                );
            }
            for other in ["", "SMITH", "A", "12345", "123456789", &"N".repeat(40)] {
                assert_eq!(
                    lookup.contains(other.as_bytes()),
                    listed(list, other),
                    "{other}"
                );
            }
        }
    }

    #[test]
    fn lists_are_sorted_and_unique() {
        assert_sorted_unique(MISSING_MARKERS);
        assert_sorted_unique(NAME_PLACEHOLDERS);
        assert_sorted_unique(FIRST_NAME_PLACEHOLDERS);
        assert_sorted_unique(ZIP_PLACEHOLDERS);
        assert_sorted_unique(SSN_PLACEHOLDERS);
        assert!(DATE_PLACEHOLDERS.windows(2).all(|p| p[0] < p[1]));
    }

    #[test]
    fn name_lists_hold_only_letters_and_do_not_overlap() {
        for s in NAME_PLACEHOLDERS.iter().chain(FIRST_NAME_PLACEHOLDERS) {
            assert!(s.bytes().all(|b| b.is_ascii_uppercase()), "{s}");
        }
        for s in FIRST_NAME_PLACEHOLDERS {
            assert!(!listed(NAME_PLACEHOLDERS, s), "{s}");
        }
    }

    #[test]
    fn markers_fit_the_lookup_buffer() {
        assert!(MISSING_MARKERS.iter().all(|m| m.len() <= 8 && m.is_ascii()));
        assert!(MISSING_MARKERS.iter().all(|m| m.to_ascii_uppercase() == *m));
    }

    #[test]
    fn ssn_placeholders_are_nine_digits() {
        assert!(SSN_PLACEHOLDERS.iter().all(|s| s.len() == 9));
        assert!(SSN_PLACEHOLDERS
            .iter()
            .all(|s| s.bytes().all(|b| b.is_ascii_digit())));
    }

    #[test]
    fn markers_start_with_a_prefiltered_byte() {
        for m in MISSING_MARKERS {
            assert!(is_missing_marker(m), "{m}");
        }
    }

    #[test]
    fn missing_marker_ignores_case() {
        assert!(is_missing_marker("null"));
        assert!(is_missing_marker("#n/a"));
        assert!(is_missing_marker("nan"));
        assert!(!is_missing_marker("nothing"));
        assert!(!is_missing_marker("Ünknown"));
    }

    #[test]
    fn doe_alone_is_not_a_placeholder() {
        assert!(!is_name_placeholder("DOE", false));
        assert!(!is_name_placeholder("DOE", true));
        assert!(is_name_placeholder("JOHNDOE", true));
    }

    #[test]
    fn repeated_placeholder_is_a_placeholder() {
        assert!(is_name_placeholder("TESTTEST", false));
        assert!(is_name_placeholder("UNKNOWNUNKNOWN", false));
        assert!(is_name_placeholder("XXX", false));
        assert!(is_name_placeholder("ZZZZZ", true));
        assert!(!is_name_placeholder("XX", false));
        assert!(!is_name_placeholder("ANNA", false));
    }

    #[test]
    fn newborn_first_names_only_in_first_name() {
        assert!(is_name_placeholder("BABY", true));
        assert!(!is_name_placeholder("BABY", false));
        assert!(is_name_placeholder("BABYBOY", false));
    }
}
