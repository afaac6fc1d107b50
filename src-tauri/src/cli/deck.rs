//! `dertien deck` (cli.md, "deck"): the scope's views as one file, drawn by
//! `crate::deck`; here only the arguments become its options.

use super::args::DeckArgs;
use super::{chosen_lang, kept_names, scope_filter, scope_words, CliError, OK};
use crate::deck::{Deck, DeckChoices, DeckFormat, DeckOptions, Names};
use crate::store::Store;

/// What `--out` asks for: its extension names the format.
pub(super) fn format(request: &DeckArgs) -> Result<DeckFormat, CliError> {
    DeckFormat::of(&request.out).ok_or_else(|| CliError::Usage(format!("--out must end in .pdf or .pptx: \"{}\"", request.out.display())))
}

pub(super) fn deck(store: &Store, request: DeckArgs, format: DeckFormat) -> Result<i32, CliError> {
    let lang = chosen_lang(store, request.lang)?;
    let table = store.lead_table()?;
    // SCOPE's names narrow the deck, as they do the reports.
    let filter = scope_filter(&table, &request.scope)?;
    let names = if request.anonymize { Names::Letters { keep: request.name.as_deref() } } else { Names::Real };
    // The command line keeps every source (cli.md has no threshold to fold by).
    let choices = DeckChoices { fold_below: 0, compare: request.scope.compare };
    let deck = Deck::new(&table, request.scope.period(), &filter, names, lang, choices);
    let options = DeckOptions {
        lang,
        theme: request.theme.theme(),
        anonymize: request.anonymize,
        // Anonymous, a salesperson kept in the scope is not named either.
        scope: scope_words(&kept_names(&table, &filter), lang).filter(|_| !request.anonymize || request.scope.salesperson.is_empty()),
        data_as_of: store.imports()?.iter().map(|r| r.imported_at).max(),
    };
    let bytes = deck.write(format, &options).map_err(|e| CliError::Output(e.to_string()))?;
    std::fs::write(&request.out, bytes).map_err(|e| CliError::Output(format!("cannot write {}: {e}", request.out.display())))?;
    Ok(OK)
}
