//! One output row: the text of its fields, the declared date format, and
//! CSV encoding.

use std::fmt::Write as _;

use chrono::format::{Item, Numeric, Pad, StrftimeItems};
use chrono::NaiveDate;

use super::person::{Person, Sex};
use super::rng::Rng;
use crate::error::{Error, Result};
use crate::field::Field;

/// The birth date format of one file, parsed once.
#[derive(Debug)]
pub(crate) struct DateFormat {
    items: Vec<Item<'static>>,
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
        let this = DateFormat { items };

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
        Ok(this)
    }

    /// Appends `date` in this format.
    pub(crate) fn write(&self, date: NaiveDate, out: &mut String) -> std::fmt::Result {
        write!(out, "{}", date.format_with_items(self.items.iter()))
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
        let _ = write!(postal, "{:05}", person.zip.zip5);
        if layout.zip4 {
            let _ = write!(postal, "-{:04}", person.zip.plus4);
        }
        let s = person.ssn;
        let _ = write!(ssn, "{:03}-{:02}-{:04}", s.area, s.group, s.serial);
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
