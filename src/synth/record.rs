//! One output row: the text of its fields, the declared date format, and
//! CSV encoding.

use std::fmt::Write as _;

use chrono::format::{Item, Numeric, Pad, StrftimeItems};
use chrono::NaiveDate;

use super::person::{Person, Sex, FIRST_BIRTH, LAST_BIRTH};
use super::rng::Rng;
use crate::error::{Error, Result};
use crate::field::Field;

/// The birth date format of one file, parsed once.
///
/// Every date of the birth range is formatted once, by chrono, into a
/// cache: formatting through `Display` per row was a tenth of the run time.
#[derive(Debug)]
pub(crate) struct DateFormat {
    items: Vec<Item<'static>>,
    cache: String,
    /// `cache[ends[i - 1]..ends[i]]` is the text of `FIRST_BIRTH + i` days.
    ends: Vec<u32>,
}

impl DateFormat {
    /// Parses a chrono `strftime` format and checks that it writes every
    /// birth date of the model so that it reads back unchanged. That rules
    /// out formats without a day, month or four-digit year, time fields, and
    /// `%y` (a two-digit year cannot tell 1925 from 2025).
    pub(crate) fn new(format: &str) -> Result<Self> {
        let bad = || {
            Error::Config(format!(
                "synth date format {format:?} is not a usable date format"
            ))
        };
        let items = StrftimeItems::new(format)
            .parse_to_owned()
            .map_err(|_| bad())?;
        let mut this = DateFormat {
            items,
            cache: String::new(),
            ends: Vec::new(),
        };

        let probes = [(1925, 12, 31), (2024, 1, 2), (1987, 6, 5)];
        for (y, m, d) in probes {
            let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad)?;
            let mut text = String::new();
            this.write(date, &mut text).map_err(|_| bad())?;
            if NaiveDate::parse_from_str(&text, format).ok() != Some(date) {
                return Err(Error::Config(format!(
                    "synth date format {format:?} does not read back the dates it writes"
                )));
            }
        }
        this.fill_cache().map_err(|_| bad())?;
        Ok(this)
    }

    fn fill_cache(&mut self) -> std::fmt::Result {
        let mut date = FIRST_BIRTH;
        while date <= LAST_BIRTH {
            write!(self.cache, "{}", date.format_with_items(self.items.iter()))?;
            self.ends.push(self.cache.len() as u32);
            date = date.succ_opt().ok_or(std::fmt::Error)?;
        }
        Ok(())
    }

    /// Appends `date` in this format.
    pub(crate) fn write(&self, date: NaiveDate, out: &mut String) -> std::fmt::Result {
        let day = (date - FIRST_BIRTH).num_days();
        match usize::try_from(day).ok().filter(|&d| d < self.ends.len()) {
            Some(d) => {
                let start = if d == 0 { 0 } else { self.ends[d - 1] as usize };
                out.push_str(&self.cache[start..self.ends[d] as usize]);
                Ok(())
            }
            None => write!(out, "{}", date.format_with_items(self.items.iter())),
        }
    }

    /// Appends a date that cannot exist (day `day` of `month`) laid out as
    /// this format would lay out a real one. Year, month and day numbers are
    /// written by hand; any other item (a month name, say) is taken from the
    /// first of that month.
    pub(crate) fn write_impossible(&self, year: i32, month: u32, day: u32, out: &mut String) {
        let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
        for item in &self.items {
            let number = match item {
                Item::Numeric(Numeric::Year, pad) => Some((i64::from(year), 4, pad)),
                Item::Numeric(Numeric::Month, pad) => Some((i64::from(month), 2, pad)),
                Item::Numeric(Numeric::Day, pad) => Some((i64::from(day), 2, pad)),
                _ => None,
            };
            // Writing to a String cannot fail; a format item that cannot be
            // written was rejected by `new`.
            let _ = match number {
                Some((n, width, Pad::Zero)) => write!(out, "{n:0width$}"),
                Some((n, width, Pad::Space)) => write!(out, "{n:>width$}"),
                Some((n, _, Pad::None)) => write!(out, "{n}"),
                None => write!(out, "{}", first.format_with_items(std::iter::once(item))),
            };
        }
    }
}

/// The six identifying fields of one row as text, in [`Field::ALL`] order.
/// Buffers are reused from row to row.
#[derive(Debug, Default)]
pub(crate) struct Record {
    fields: [String; 6],
}

/// How a person's data is laid out on one row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    /// Write the ZIP as ZIP+4.
    pub(crate) zip4: bool,
    /// Write `U` for sex.
    pub(crate) unknown_sex: bool,
}

impl Record {
    /// The buffer of `field`, for editing in place.
    pub(crate) fn get_mut(&mut self, field: Field) -> &mut String {
        &mut self.fields[field.index()]
    }

    /// Swaps two fields' text.
    pub(crate) fn swap(&mut self, a: Field, b: Field) {
        self.fields.swap(a.index(), b.index());
    }

    /// Writes `person` into the buffers.
    pub(crate) fn fill(
        &mut self,
        person: &Person,
        layout: Layout,
        dates: &DateFormat,
        rng: &mut Rng,
    ) {
        for f in &mut self.fields {
            f.clear();
        }
        let [first, last, birth, sex, postal, ssn] = &mut self.fields;

        first.push_str(person.first_name);
        last.push_str(person.last_name.first);
        if let Some(second) = person.last_name.second {
            last.push('-');
            last.push_str(second);
        }
        if let Some(suffix) = person.suffix {
            write_suffix(last, suffix, rng);
        }
        // A date inside chrono's range always formats; `DateFormat::new`
        // checked the items.
        let _ = dates.write(person.birth_date, birth);
        sex.push_str(match (layout.unknown_sex, person.sex) {
            (true, _) => "U",
            (false, Sex::Male) => "M",
            (false, Sex::Female) => "F",
        });
        push_digits(postal, person.zip.zip5.into(), 5);
        if layout.zip4 {
            postal.push('-');
            push_digits(postal, person.zip.plus4.into(), 4);
        }
        person.ssn.write(ssn);
    }

    /// Appends the row, `id` first, as one CSV line to `out`.
    pub(crate) fn encode(&self, id: &str, out: &mut Vec<u8>) {
        out.extend_from_slice(id.as_bytes());
        for f in &self.fields {
            out.push(b',');
            push_csv_field(f, out);
        }
        out.push(b'\n');
    }
}

/// Writes a generational suffix the ways sources write one: mostly
/// `Smith Jr`, sometimes `Smith Jr.` or `Smith, Jr.`.
fn write_suffix(last: &mut String, suffix: &str, rng: &mut Rng) {
    let dotted = matches!(suffix, "Jr" | "Sr");
    match rng.below(10) {
        0 if dotted => {
            last.push_str(", ");
            last.push_str(suffix);
            last.push('.');
        }
        1 | 2 if dotted => {
            last.push(' ');
            last.push_str(suffix);
            last.push('.');
        }
        _ => {
            last.push(' ');
            last.push_str(suffix);
        }
    }
}

/// Appends `n` in decimal, zero-padded to `width` digits. `write!` with a
/// width spends most of its time in the formatting machinery.
pub(crate) fn push_digits(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    while n > 0 || buf.len() - i < width {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend(buf[i..].iter().map(|&b| char::from(b)));
}

/// Appends `value` as a CSV field (RFC 4180): quoted when it holds a comma,
/// a quote or a line break, with inner quotes doubled.
pub(crate) fn push_csv_field(value: &str, out: &mut Vec<u8>) {
    if !value
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.extend_from_slice(value.as_bytes());
        return;
    }
    out.push(b'"');
    for b in value.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(format: &str, y: i32, m: u32, d: u32) -> String {
        let mut s = String::new();
        DateFormat::new(format)
            .unwrap()
            .write_impossible(y, m, d, &mut s);
        s
    }

    #[test]
    fn impossible_dates_follow_the_declared_layout() {
        assert_eq!(render("%Y-%m-%d", 1980, 2, 30), "1980-02-30");
        assert_eq!(render("%m/%d/%Y", 1980, 4, 31), "04/31/1980");
        assert_eq!(render("%d %B %Y", 2001, 2, 29), "29 February 2001");
        assert_eq!(render("%Y%m%d", 1999, 6, 0), "19990600");
    }

    #[test]
    fn unusable_formats_are_config_errors() {
        for bad in ["%Y", "%y-%m-%d", "%Y-%m-%d %H:%M", "%Q", ""] {
            assert!(
                matches!(DateFormat::new(bad), Err(Error::Config(_))),
                "{bad}"
            );
        }
        for good in ["%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d", "%B %-d, %Y"] {
            assert!(DateFormat::new(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn cached_and_direct_dates_agree() {
        let format = DateFormat::new("%d %b %Y").unwrap();
        for (y, m, d) in [
            (1920, 1, 1),
            (1960, 2, 29),
            (2024, 12, 31),
            (2025, 1, 1),
            (1919, 12, 31),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut cached = String::new();
            format.write(date, &mut cached).unwrap();
            assert_eq!(cached, date.format("%d %b %Y").to_string());
        }
    }

    #[test]
    fn digits_are_zero_padded() {
        let mut s = String::new();
        for (n, w) in [(0, 1), (7, 3), (1234, 5), (99950, 5), (123456, 2)] {
            push_digits(&mut s, n, w);
            s.push('|');
        }
        assert_eq!(s, "0|007|01234|99950|123456|");
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut out = Vec::new();
        push_csv_field("O'Brien", &mut out);
        out.push(b'|');
        push_csv_field("Smith, Jr.", &mut out);
        out.push(b'|');
        push_csv_field("say \"hi\"", &mut out);
        assert_eq!(out, b"O'Brien|\"Smith, Jr.\"|\"say \"\"hi\"\"\"");
    }
}
