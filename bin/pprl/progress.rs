//! The progress bar: on stderr, only when stderr is a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pprl::pipeline::Progress;

/// A progress display that may be hidden.
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    /// A bar when stderr is a terminal and `quiet` is off.
    pub fn new(quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Bar { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        Bar { bar: Some(bar) }
    }

    /// Updates from a pipeline progress report: rows when the total is
    /// known, input bytes otherwise.
    pub fn update(&self, p: Progress) {
        let Some(bar) = &self.bar else { return };
        match (p.total_rows, p.bytes.1) {
            (Some(total), _) => {
                if bar.length() != Some(total) {
                    bar.set_length(total);
                    bar.set_style(style(
                        "{bar:30} {human_pos}/{human_len} rows  {per_sec}  eta {eta}",
                    ));
                }
                bar.set_position(p.rows);
            }
            (None, Some(total)) => {
                if bar.length() != Some(total) {
                    bar.set_length(total);
                    bar.set_style(style(
                        "{bar:30} {bytes}/{total_bytes}  {msg} rows  {binary_bytes_per_sec}  eta {eta}",
                    ));
                }
                bar.set_position(p.bytes.0);
                bar.set_message(p.rows.to_string());
            }
            (None, None) => {
                bar.set_style(style("{spinner} {human_pos} rows  {per_sec}"));
                bar.set_position(p.rows);
            }
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}
