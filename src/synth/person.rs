//! The true identity of a synthetic person, derived from the run seed and
//! the person's index alone.
//!
//! Because a person is a pure function of `(seed, index)`, a duplicate
//! record can re-derive its original anywhere in the file without the
//! generator holding earlier rows.

use chrono::{Datelike, NaiveDate};

use super::names::{Weighted, ACCENTED_FEMALE_FIRST, ACCENTED_MALE_FIRST, ACCENTED_SURNAMES};
use super::names::{FEMALE_FIRST, MALE_FIRST, SUFFIXES, SURNAMES};
use super::record::push_digits;
use super::rng::Rng;
use super::SynthOptions;

/// Stream tag of person derivations.
const PERSON_STREAM: u64 = 1;

/// Birth dates are drawn uniformly from this range, inclusive.
pub(crate) const FIRST_BIRTH: NaiveDate = ymd(1920, 1, 1);
/// The last birth date of the model.
pub(crate) const LAST_BIRTH: NaiveDate = ymd(2024, 12, 31);

/// Administrative sex of a person (what a source would record when it
/// knows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sex {
    Male,
    Female,
}

/// A family name: one name, or two joined by a hyphen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Surname {
    pub(crate) first: &'static str,
    pub(crate) second: Option<&'static str>,
}

/// A US Social Security Number: area, group, serial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ssn {
    pub(crate) area: u16,
    pub(crate) group: u8,
    pub(crate) serial: u16,
}

/// A five-digit ZIP code with its ZIP+4 add-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Zip {
    pub(crate) zip5: u32,
    pub(crate) plus4: u16,
}

/// Everything true about one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Person {
    pub(crate) sex: Sex,
    pub(crate) first_name: &'static str,
    pub(crate) last_name: Surname,
    pub(crate) suffix: Option<&'static str>,
    pub(crate) birth_date: NaiveDate,
    pub(crate) zip: Zip,
    pub(crate) ssn: Ssn,
}

/// The name lists, prepared once per run.
#[derive(Debug)]
pub(crate) struct NameLists {
    male: Weighted,
    female: Weighted,
    surnames: Weighted,
    accented_male: Weighted,
    accented_female: Weighted,
    accented_surnames: Weighted,
    suffixes: Weighted,
}

impl NameLists {
    pub(crate) fn new() -> Self {
        NameLists {
            male: Weighted::new(MALE_FIRST),
            female: Weighted::new(FEMALE_FIRST),
            surnames: Weighted::new(SURNAMES),
            accented_male: Weighted::new(ACCENTED_MALE_FIRST),
            accented_female: Weighted::new(ACCENTED_FEMALE_FIRST),
            accented_surnames: Weighted::new(ACCENTED_SURNAMES),
            suffixes: Weighted::new(SUFFIXES),
        }
    }

    /// A given name for `sex`; accented with probability `accent_rate`.
    pub(crate) fn first_name(&self, sex: Sex, accent_rate: f64, rng: &mut Rng) -> &'static str {
        let accented = rng.chance(accent_rate);
        let list = match (sex, accented) {
            (Sex::Male, false) => &self.male,
            (Sex::Male, true) => &self.accented_male,
            (Sex::Female, false) => &self.female,
            (Sex::Female, true) => &self.accented_female,
        };
        list.sample(rng)
    }

    /// One family name, accented with probability `accent_rate`.
    pub(crate) fn surname(&self, accent_rate: f64, rng: &mut Rng) -> &'static str {
        if rng.chance(accent_rate) {
            self.accented_surnames.sample(rng)
        } else {
            self.surnames.sample(rng)
        }
    }
}

impl Person {
    /// Person number `index` of the run described by `opts`.
    pub(crate) fn derive(opts: &SynthOptions, names: &NameLists, index: u64) -> Person {
        let mut rng = Rng::new(opts.seed, PERSON_STREAM, index);
        let sex = if rng.chance(0.5) {
            Sex::Female
        } else {
            Sex::Male
        };
        let first_name = names.first_name(sex, opts.accent_rate, &mut rng);
        let last_name = Surname {
            first: names.surname(opts.accent_rate, &mut rng),
            second: rng
                .chance(opts.hyphen_rate)
                .then(|| names.surname(opts.accent_rate, &mut rng)),
        };
        let suffix = (sex == Sex::Male && rng.chance(opts.suffix_rate))
            .then(|| names.suffixes.sample(&mut rng));

        Person {
            sex,
            first_name,
            last_name,
            suffix,
            birth_date: birth_date(&mut rng),
            zip: Zip::random(&mut rng),
            ssn: Ssn::random(&mut rng),
        }
    }
}

/// A birth date, uniform over 1920-01-01..=2024-12-31.
fn birth_date(rng: &mut Rng) -> NaiveDate {
    let span = (LAST_BIRTH - FIRST_BIRTH).num_days() as u64;
    FIRST_BIRTH + chrono::Days::new(rng.range(0, span))
}

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid constant date"),
    }
}

/// A valid date near `date` that a keying slip would produce: day and month
/// swapped when both are at most 12 and differ, otherwise the day moved by
/// one within the month.
pub(crate) fn date_typo(date: NaiveDate) -> NaiveDate {
    let (day, month) = (date.day(), date.month());
    if day <= 12 && day != month {
        if let Some(swapped) = NaiveDate::from_ymd_opt(date.year(), day, month) {
            return swapped;
        }
    }
    let other = if day > 1 { day - 1 } else { day + 1 };
    date.with_day(other).unwrap_or(date)
}

impl Zip {
    /// A ZIP code from 01001 to 99950, the span of assigned five-digit
    /// codes. Not every number in that span is assigned; a matcher does not
    /// care, and a ZIP validator would reject a share of these.
    pub(crate) fn random(rng: &mut Rng) -> Zip {
        Zip {
            zip5: rng.range(1001, 99950) as u32,
            plus4: rng.range(1, 9999) as u16,
        }
    }

    /// A new address after a move: half the time in the same sectional
    /// center (first three digits, so up to 99999), otherwise anywhere.
    pub(crate) fn moved(self, rng: &mut Rng) -> Zip {
        loop {
            let next = if rng.chance(0.5) {
                let scf = self.zip5 / 100;
                Zip {
                    zip5: scf * 100 + rng.range(1, 99) as u32,
                    plus4: rng.range(1, 9999) as u16,
                }
            } else {
                Zip::random(rng)
            };
            if next.zip5 != self.zip5 {
                return next;
            }
        }
    }
}

impl Ssn {
    /// An SSN the SSA could issue under randomized assignment (2011 on):
    /// area 001–899 except 666, group 01–99, serial 0001–9999, and not one of
    /// the numbers publicized in advertising (078-05-1120, 123-45-6789).
    pub(crate) fn random(rng: &mut Rng) -> Ssn {
        loop {
            let ssn = Ssn {
                area: rng.range(1, 899) as u16,
                group: rng.range(1, 99) as u8,
                serial: rng.range(1, 9999) as u16,
            };
            if ssn.is_valid() {
                return ssn;
            }
        }
    }

    /// Appends the number as `ddd-dd-dddd`.
    pub(crate) fn write(self, out: &mut String) {
        push_digits(out, self.area.into(), 3);
        out.push('-');
        push_digits(out, self.group.into(), 2);
        out.push('-');
        push_digits(out, self.serial.into(), 4);
    }

    /// Whether the SSA rules above allow this number.
    pub(crate) fn is_valid(self) -> bool {
        let advertised = matches!(
            (self.area, self.group, self.serial),
            (78, 5, 1120) | (123, 45, 6789)
        );
        (1..=899).contains(&self.area)
            && self.area != 666
            && self.group != 0
            && self.serial != 0
            && !advertised
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_is_a_function_of_seed_and_index() {
        let opts = SynthOptions::default();
        let names = NameLists::new();
        assert_eq!(
            Person::derive(&opts, &names, 42),
            Person::derive(&opts, &names, 42)
        );
        assert_ne!(
            Person::derive(&opts, &names, 42),
            Person::derive(&opts, &names, 43)
        );
    }

    #[test]
    fn generated_values_follow_their_rules() {
        let opts = SynthOptions::default();
        let names = NameLists::new();
        for i in 0..5_000 {
            let p = Person::derive(&opts, &names, i);
            assert!(p.ssn.is_valid());
            assert!((1001..=99950).contains(&p.zip.zip5));
            assert!((1920..=2024).contains(&p.birth_date.year()));
            assert!(p.suffix.is_none() || p.sex == Sex::Male);
        }
    }

    #[test]
    fn date_typo_changes_the_date() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(date_typo(d(1980, 3, 7)), d(1980, 7, 3));
        assert_eq!(date_typo(d(1980, 3, 20)), d(1980, 3, 19));
        assert_eq!(date_typo(d(1980, 3, 3)), d(1980, 3, 2));
        assert_eq!(date_typo(d(1980, 3, 1)), d(1980, 1, 3));
        assert_eq!(date_typo(d(1980, 1, 1)), d(1980, 1, 2));
    }

    #[test]
    fn moved_zip_differs() {
        let mut rng = Rng::new(3, 3, 3);
        let zip = Zip {
            zip5: 2134,
            plus4: 1,
        };
        assert!((0..1000).all(|_| zip.moved(&mut rng).zip5 != 2134));
    }
}
