//! OpenToken's long CSV layout: one line per (record, rule).
//!
//! The header is `RuleId,Token,RecordId`, lines end in `\n`, and a field is
//! quoted only when it holds a comma, a double quote, CR or LF, with inner
//! quotes doubled (Python `csv.writer` defaults). A blank token is written
//! as [`BLANK_TOKEN`].

use std::io::{self, Write};

use super::{BLANK_TOKEN, RULE_IDS};

/// The header line of OpenToken's token file, with its newline.
pub const LONG_HEADER: &str = "RuleId,Token,RecordId\n";

/// Writes the header line.
///
/// # Errors
/// Any error of the writer.
pub fn write_long_header<W: Write>(w: &mut W) -> io::Result<()> {
    w.write_all(LONG_HEADER.as_bytes())
}

/// Writes one line; `None` is written as the 64-zero blank token.
///
/// # Errors
/// Any error of the writer.
pub fn write_long_line<W: Write>(
    w: &mut W,
    rule_id: &str,
    token: Option<&str>,
    record_id: &str,
) -> io::Result<()> {
    write_field(w, rule_id)?;
    w.write_all(b",")?;
    write_field(w, token.unwrap_or(BLANK_TOKEN))?;
    w.write_all(b",")?;
    write_field(w, record_id)?;
    w.write_all(b"\n")
}

/// Writes the five lines of one record, rules T1 to T5 in order.
///
/// # Errors
/// Any error of the writer.
pub fn write_long_record<W: Write>(
    w: &mut W,
    tokens: &[Option<String>],
    record_id: &str,
) -> io::Result<()> {
    for (rule, token) in RULE_IDS.iter().zip(tokens) {
        write_long_line(w, rule, token.as_deref(), record_id)?;
    }
    Ok(())
}

/// Writes one field with minimal quoting.
fn write_field<W: Write>(w: &mut W, field: &str) -> io::Result<()> {
    if !field.contains([',', '"', '\r', '\n']) {
        return w.write_all(field.as_bytes());
    }
    w.write_all(b"\"")?;
    for (i, part) in field.split('"').enumerate() {
        if i > 0 {
            w.write_all(b"\"\"")?;
        }
        w.write_all(part.as_bytes())?;
    }
    w.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_quoting() {
        let mut out = Vec::new();
        write_long_header(&mut out).unwrap();
        write_long_line(&mut out, "T1", Some("a+b/c="), "E001").unwrap();
        write_long_line(&mut out, "T2", None, "id,\"x\"\nline").unwrap();
        let text = String::from_utf8(out).unwrap();
        let want = format!(
            "RuleId,Token,RecordId\nT1,a+b/c=,E001\nT2,{BLANK_TOKEN},\"id,\"\"x\"\"\nline\"\n"
        );
        assert_eq!(text, want);
    }
}
