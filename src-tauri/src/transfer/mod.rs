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
