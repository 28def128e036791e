//! How a duplicate record of a person differs from the person's first
//! record.
//!
//! Each duplicate gets exactly one corruption, drawn with the weights of
//! [`KIND_WEIGHTS`]. The mix follows the disagreement causes reported for
//! administrative person data: keying typos and name variants dominate,
//! followed by moves, marriages and date slips.

use std::fmt;

use super::names::nicknames;
use super::person::{date_typo, NameLists, Person, Sex, Surname};
use super::record::Record;
use super::rng::Rng;
use crate::field::Field;

/// The corruption that turned a person's first record into a duplicate;
/// the `kind` column of the truth file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DuplicateKind {
    /// No change but the record id (the same record loaded twice).
    Exact,
    /// One keying error in the first or last name: a substitution by a
    /// neighbouring key, a transposition of adjacent letters, or a deletion.
    Typo,
    /// First and last name written in each other's columns.
    NameSwap,
    /// The first name replaced by a common nickname (Robert → Bob).
    Nickname,
    /// A new family name after marriage: replaced, or hyphenated onto the
    /// old one. Female persons only.
    SurnameChange,
    /// A new ZIP code after a move, half the time nearby.
    Moved,
    /// Day and month swapped, or the day off by one.
    DateTypo,
    /// Two adjacent SSN digits transposed, or one digit mistyped.
    SsnTypo,
}

impl DuplicateKind {
    /// Every kind, in truth-file order.
    pub const ALL: [DuplicateKind; 8] = [
        DuplicateKind::Exact,
        DuplicateKind::Typo,
        DuplicateKind::NameSwap,
        DuplicateKind::Nickname,
        DuplicateKind::SurnameChange,
        DuplicateKind::Moved,
        DuplicateKind::DateTypo,
        DuplicateKind::SsnTypo,
    ];

    /// The name written in the truth file.
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicateKind::Exact => "exact",
            DuplicateKind::Typo => "typo",
            DuplicateKind::NameSwap => "name_swap",
            DuplicateKind::Nickname => "nickname",
            DuplicateKind::SurnameChange => "surname_change",
            DuplicateKind::Moved => "moved",
            DuplicateKind::DateTypo => "date_typo",
            DuplicateKind::SsnTypo => "ssn_typo",
        }
    }

    /// A stable index into [`DuplicateKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for DuplicateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Relative weights of the corruptions, in percent. A nickname for a name
/// without one, or a surname change for a male person, is drawn again, so
/// realised shares of those two run lower than their weights (about 5% and
/// 7% with the built-in name lists) and the others higher.
pub const KIND_WEIGHTS: [(DuplicateKind, u32); 8] = [
    (DuplicateKind::Exact, 5),
    (DuplicateKind::Typo, 30),
    (DuplicateKind::NameSwap, 6),
    (DuplicateKind::Nickname, 15),
    (DuplicateKind::SurnameChange, 12),
    (DuplicateKind::Moved, 15),
    (DuplicateKind::DateTypo, 10),
    (DuplicateKind::SsnTypo, 7),
];

/// Draws a corruption by [`KIND_WEIGHTS`].
fn choose(rng: &mut Rng) -> DuplicateKind {
    let total: u32 = KIND_WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut r = rng.below(u64::from(total)) as u32;
    for (kind, weight) in KIND_WEIGHTS {
        if r < weight {
            return kind;
        }
        r -= weight;
    }
    DuplicateKind::Typo
}

/// Draws a corruption that applies to `person` and applies the parts of it
/// that change who the person is on paper (names, address, date). A
/// nickname needs a first name that has one and a surname change needs a
/// female person; when the draw does not apply it is drawn again.
pub(crate) fn corrupt_person(
    person: &mut Person,
    names: &NameLists,
    accent_rate: f64,
    rng: &mut Rng,
) -> DuplicateKind {
    loop {
        let kind = choose(rng);
        match kind {
            DuplicateKind::Nickname => match nicknames(person.first_name) {
                Some(nicks) => person.first_name = rng.pick(nicks),
                None => continue,
            },
            DuplicateKind::SurnameChange if person.sex == Sex::Female => {
                person.last_name = married_name(person.last_name, names, accent_rate, rng);
            }
            DuplicateKind::SurnameChange => continue,
            DuplicateKind::Moved => person.zip = person.zip.moved(rng),
            DuplicateKind::DateTypo => person.birth_date = date_typo(person.birth_date),
            _ => {}
        }
        return kind;
    }
}

/// A new family name: a quarter of the time the old one hyphenated with a
/// spouse's, otherwise the spouse's alone.
fn married_name(old: Surname, names: &NameLists, accent_rate: f64, rng: &mut Rng) -> Surname {
    let spouse = loop {
        let s = names.surname(accent_rate, rng);
        if s != old.first {
            break s;
        }
    };
    if old.second.is_none() && rng.chance(0.25) {
        Surname {
            first: old.first,
            second: Some(spouse),
        }
    } else {
        Surname {
            first: spouse,
            second: None,
        }
    }
}

/// Applies the parts of `kind` that are slips in writing the record.
pub(crate) fn corrupt_record(kind: DuplicateKind, record: &mut Record, rng: &mut Rng) {
    match kind {
        DuplicateKind::Typo => {
            let field = if rng.chance(0.5) {
                Field::FirstName
            } else {
                Field::LastName
            };
            name_typo(record.get_mut(field), rng);
        }
        DuplicateKind::NameSwap => record.swap(Field::FirstName, Field::LastName),
        DuplicateKind::SsnTypo => ssn_typo(record.get_mut(Field::Ssn), rng),
        _ => {}
    }
}

/// Neighbours of each letter on a US QWERTY keyboard, `a` to `z`.
const QWERTY: [&str; 26] = [
    "qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn",
    "jiolm", "kop", "njk", "bhjm", "iklp", "ol", "wa", "edft", "awedxz", "rfgy", "yhji", "cfgb",
    "qase", "zsdc", "tghu", "asx",
];

/// One keying error in a name: a neighbouring-key substitution, an adjacent
/// transposition, or a deletion. Names of one character only get a
/// substitution, so the result is never empty.
pub(crate) fn name_typo(name: &mut String, rng: &mut Rng) {
    let mut chars: Vec<char> = name.chars().collect();
    if chars.is_empty() {
        return;
    }
    let n = chars.len() as u64;
    match rng.below(3) {
        1 if n >= 2 => {
            let i = rng.below(n - 1) as usize;
            if chars[i] == chars[i + 1] {
                substitute(&mut chars, i, rng);
            } else {
                chars.swap(i, i + 1);
            }
        }
        2 if n >= 3 => {
            chars.remove(rng.below(n) as usize);
        }
        _ => substitute(&mut chars, rng.below(n) as usize, rng),
    }
    name.clear();
    name.extend(chars);
}

/// Replaces `chars[i]` by a keyboard neighbour (any letter for characters
/// off the basic Latin keyboard), keeping its case.
fn substitute(chars: &mut [char], i: usize, rng: &mut Rng) {
    let c = chars[i];
    let lower = c.to_ascii_lowercase();
    let replacement = if lower.is_ascii_lowercase() {
        let neighbours = QWERTY[(lower as u8 - b'a') as usize].as_bytes();
        char::from(rng.pick(neighbours))
    } else {
        char::from(b'a' + rng.below(26) as u8)
    };
    chars[i] = if c.is_uppercase() {
        replacement.to_ascii_uppercase()
    } else {
        replacement
    };
}

/// One keying error in an SSN written `ddd-dd-dddd`: two adjacent digits
/// transposed (across a dash too), or one digit replaced.
fn ssn_typo(ssn: &mut String, rng: &mut Rng) {
    let mut digits: Vec<u8> = ssn.bytes().filter(u8::is_ascii_digit).collect();
    if digits.len() != 9 {
        return;
    }
    let i = rng.below(8) as usize;
    if rng.chance(0.5) && digits[i] != digits[i + 1] {
        digits.swap(i, i + 1);
    } else {
        digits[i] = b'0' + (digits[i] - b'0' + 1 + rng.below(9) as u8) % 10;
    }
    ssn.clear();
    for (k, d) in digits.into_iter().enumerate() {
        if k == 3 || k == 5 {
            ssn.push('-');
        }
        ssn.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_always_change_the_name() {
        let mut rng = Rng::new(1, 1, 1);
        for name in ["Anna", "Lee", "Li", "O'Brien", "José", "Nguyễn", "Bo"] {
            for _ in 0..200 {
                let mut s = name.to_string();
                name_typo(&mut s, &mut rng);
                assert_ne!(s, name);
                assert!(!s.is_empty());
            }
        }
    }

    #[test]
    fn ssn_typos_keep_the_layout() {
        let mut rng = Rng::new(1, 1, 2);
        for _ in 0..500 {
            let mut s = "123-44-5678".to_string();
            ssn_typo(&mut s, &mut rng);
            assert_ne!(s, "123-44-5678");
            assert_eq!(s.len(), 11);
            assert_eq!((&s[3..4], &s[6..7]), ("-", "-"));
        }
    }

    #[test]
    fn kind_weights_sum_to_one_hundred() {
        assert_eq!(KIND_WEIGHTS.iter().map(|(_, w)| w).sum::<u32>(), 100);
        let kinds: Vec<_> = KIND_WEIGHTS.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, DuplicateKind::ALL);
    }
}
