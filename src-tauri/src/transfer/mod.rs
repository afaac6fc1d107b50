//! What crosses to the outside: the JSON the command line prints and the
//! window receives, one set of types for both. The command line gets
//! cli.md's fields exactly; the window's extras (verdicts, labels, ids, the
//! count path) are optional fields it alone fills. The domain modules never
//! see these types: they are made here from the engine's plain results.

#[cfg(feature = "desktop")]
mod export;
mod imports;
mod report;
#[cfg(feature = "desktop")]
mod window;

#[cfg(feature = "desktop")]
pub use export::{chart_format, deck_format, export_filter, export_path, write_export};
pub use imports::{ImportResultView, ImportView};
pub use report::{report_csv, CountPath, RateView, ReportView};
#[cfg(feature = "desktop")]
pub use window::*;

use serde::Serialize;

use crate::import::ImportError;
use crate::lang::Lang;
use crate::store::StoreError;

/// An error as the window and scripts receive it: `{kind, message}`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CommandError {
    pub kind: &'static str,
    pub message: String,
}

impl CommandError {
    pub fn invalid(message: String) -> Self {
        CommandError { kind: "invalid_input", message }
    }

    /// A lock poisoned by a panic elsewhere.
    pub fn unavailable() -> Self {
        CommandError { kind: "store", message: "the store is unavailable".into() }
    }

    pub fn busy() -> Self {
        CommandError { kind: "busy", message: "an import is running; wait for it or cancel it".into() }
    }

    /// The message in `lang`; the kind stays the same.
    pub fn in_lang(self, lang: Lang) -> Self {
        CommandError { message: lang.say(&self.message), ..self }
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> Self {
        CommandError { kind: "store", message: error.to_string() }
    }
}

impl From<ImportError> for CommandError {
    fn from(error: ImportError) -> Self {
        CommandError { kind: error.kind(), message: error.to_string() }
    }
}

impl From<crate::charts::ChartError> for CommandError {
    fn from(error: crate::charts::ChartError) -> Self {
        CommandError { kind: "chart", message: error.to_string() }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

/// Rates and intervals to six decimals: what cli.md shows, and all a
/// person or a spreadsheet needs.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// An import's time as the command line and the history show it.
pub fn format_utc(seconds: i64) -> String {
    format!("{} UTC", crate::import::values::format_timestamp(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every error message the window's commands word themselves, read from
    /// their sources (a literal in `CommandError::invalid(..)` or after
    /// `message:`), each value in it as "7".
    fn command_messages() -> Vec<String> {
        let sources = [
            include_str!("mod.rs"),
            include_str!("window.rs"),
            include_str!("export.rs"),
            include_str!("imports.rs"),
            include_str!("report.rs"),
            include_str!("../desktop/commands.rs"),
            include_str!("../desktop/mod.rs"),
        ];
        let mut messages = Vec::new();
        for source in sources {
            let code = source.split("\n#[cfg(test)]\nmod tests").next().unwrap_or(source);
            for marker in ["CommandError::invalid(", "message: "] {
                for (at, _) in code.match_indices(marker) {
                    let rest = code[at + marker.len()..].trim_start();
                    let rest = rest.strip_prefix("format!(").unwrap_or(rest).trim_start();
                    let Some(literal) = rest.strip_prefix('"') else { continue };
                    let mut text = String::new();
                    let mut chars = literal.chars();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => text.extend(chars.next()),
                            '"' => break,
                            c => text.push(c),
                        }
                    }
                    let mut said = String::new();
                    let mut rest = text.as_str();
                    while let Some(open) = rest.find('{') {
                        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
                        said.push_str(&rest[..open]);
                        said.push('7');
                        rest = &rest[close..];
                    }
                    said.push_str(rest);
                    messages.push(said);
                }
            }
        }
        messages
    }

    #[test]
    fn every_error_a_window_command_words_itself_reads_in_dutch() {
        let messages = command_messages();
        for known in ["the store is unavailable", "an import is running; wait for it or cancel it", "no file 7 is waiting", "a norm of 7"] {
            assert!(messages.iter().any(|m| m == known), "{known} among {messages:?}");
        }
        assert!(messages.len() >= 14, "{messages:?}");
        let english: Vec<&String> = messages.iter().filter(|m| !Lang::said_whole_in_dutch(m)).collect();
        assert!(english.is_empty(), "no Dutch for: {english:?}");
        assert_eq!(CommandError::busy().in_lang(Lang::Nl).message, "er loopt een import; wacht tot die klaar is of stop hem");
    }

    #[test]
    fn errors_reach_the_window_and_scripts_as_kind_and_message() {
        let error = CommandError::from(ImportError::NoLeadRows { file: "leeg.xlsx".into(), detail: "the file holds no rows".into() });
        let json = serde_json::to_value(&error).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({
                "kind": "no_lead_rows",
                "message": "leeg.xlsx: nothing to import: the file holds no rows"
            })
        );
    }
}
