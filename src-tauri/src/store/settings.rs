//! What the user has set, kept in the store so the window and the command
//! line count the same way: the norm, the language, the margin per sale,
//! extra status words, each source's class and merge, and below how many
//! leads the window folds a source into "Other".

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use super::{rollup, SourceEntry, Store, StoreError};
use crate::vocabulary::StatusWords;

/// What the user has set; the defaults are metrics.md's.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub norm: f64,
    pub status_words: StatusWords,
    /// Source name key -> passive, as the user classed it.
    pub source_classes: HashMap<String, bool>,
    /// Source name key -> the key of the source it is merged into.
    pub source_aliases: HashMap<String, String>,
    /// "nl" or "en"; `None`: follow the system.
    pub language: Option<String>,
    /// Euros a sale earns (metrics.md, "At stake"); unset by default.
    pub margin_per_sale: Option<f64>,
    /// The window folds sources with fewer active leads than this into one
    /// group (`metrics::Report::fold_sources`); 0 never folds.
    pub fold_sources_below: u64,
}

impl Settings {
    /// A source's class: as the user set it, else metrics.md's default.
    pub fn source_is_passive(&self, key: &str) -> bool {
        self.source_classes.get(key).copied().unwrap_or_else(|| crate::vocabulary::source_is_passive_by_default(key))
    }
}

impl Store {
    pub fn settings(&self) -> Result<Settings, StoreError> {
        settings(&self.conn)
    }

    /// The norm as a fraction (0.13 for 13%).
    pub fn set_norm(&mut self, norm: f64) -> Result<(), StoreError> {
        if !(norm > 0.0 && norm < 1.0) {
            return Err(StoreError::InvalidNorm(norm * 100.0));
        }
        put_setting(&self.conn, "norm", &norm.to_string())
    }

    /// Classes a source active (`false`) or passive (`true`), or back to the
    /// default (`None`); the figures follow at once.
    pub fn set_source_class(&mut self, source: &str, passive: Option<bool>) -> Result<(), StoreError> {
        let key = crate::model::name_key(source);
        let tx = self.conn.transaction()?;
        match passive {
            Some(passive) => tx.execute(
                "INSERT INTO source_class (name_key, passive) VALUES (?1, ?2)
                 ON CONFLICT (name_key) DO UPDATE SET passive = excluded.passive",
                params![key, passive],
            )?,
            None => tx.execute("DELETE FROM source_class WHERE name_key = ?1", [key])?,
        };
        rollup::rebuild(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Merges the source `alias` into `target` (`None`: apart again); the
    /// figures follow at once. A source cannot be merged into itself, nor
    /// into one that is merged itself (one step, so no cycles).
    pub fn set_source_alias(&mut self, alias: &str, target: Option<&str>) -> Result<(), StoreError> {
        let alias = crate::model::name_key(alias);
        let tx = self.conn.transaction()?;
        match target.map(crate::model::name_key) {
            Some(target) => {
                let merged: bool =
                    tx.query_row("SELECT EXISTS (SELECT 1 FROM source_alias WHERE alias_key = ?1)", [&target], |r| r.get(0))?;
                if target == alias || merged {
                    return Err(StoreError::InvalidAlias(alias, target));
                }
                tx.execute(
                    "INSERT INTO source_alias (alias_key, target_key) VALUES (?1, ?2)
                     ON CONFLICT (alias_key) DO UPDATE SET target_key = excluded.target_key",
                    params![alias, target],
                )?;
                // Sources merged into the alias follow it to its target.
                tx.execute("UPDATE source_alias SET target_key = ?2 WHERE target_key = ?1", params![alias, target])?;
            }
            None => {
                tx.execute("DELETE FROM source_alias WHERE alias_key = ?1", [alias])?;
            }
        }
        rollup::rebuild(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The window's language ("nl" or "en"); `None` follows the system.
    pub fn set_language(&mut self, language: Option<&str>) -> Result<(), StoreError> {
        match language {
            Some(language) => put_setting(&self.conn, "language", language),
            None => {
                self.conn.execute("DELETE FROM setting WHERE key = 'language'", [])?;
                Ok(())
            }
        }
    }

    /// The margin per sale in euros (`None`: unset); the command line and
    /// the window both show what is at stake with it.
    pub fn set_margin_per_sale(&mut self, margin: Option<f64>) -> Result<(), StoreError> {
        match margin {
            Some(margin) if margin.is_finite() && margin > 0.0 => put_setting(&self.conn, "margin_per_sale", &margin.to_string()),
            Some(margin) => Err(StoreError::InvalidMargin(margin)),
            None => {
                self.conn.execute("DELETE FROM setting WHERE key = 'margin_per_sale'", [])?;
                Ok(())
            }
        }
    }

    /// Below how many active leads the window folds a source into "Other" (0: never).
    pub fn set_fold_sources_below(&mut self, leads: u64) -> Result<(), StoreError> {
        put_setting(&self.conn, "fold_sources_below", &leads.to_string())
    }

    /// Every source with its current leads, class and merge, for the settings.
    pub fn sources(&self) -> Result<Vec<SourceEntry>, StoreError> {
        rollup::sources(&self.conn)
    }

    /// Extra words meaning sold / lost, beyond metrics.md's.
    pub fn set_status_words(&mut self, words: &StatusWords) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for (key, list) in [("sold_words", &words.sold), ("lost_words", &words.lost)] {
            put_setting(&tx, key, &list.join("\n"))?;
        }
        rollup::rebuild(&tx)?;
        tx.commit()?;
        Ok(())
    }
}

fn put_setting(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub(crate) fn settings(conn: &Connection) -> Result<Settings, StoreError> {
    let get = |key: &str| -> Result<Option<String>, StoreError> {
        Ok(conn.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    };
    let words = |text: Option<String>| -> Vec<String> {
        text.unwrap_or_default().lines().map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned).collect()
    };
    let norm = get("norm")?.and_then(|v| v.parse().ok()).unwrap_or(0.13);
    let status_words = StatusWords { sold: words(get("sold_words")?), lost: words(get("lost_words")?) };
    let mut statement = conn.prepare("SELECT name_key, passive FROM source_class")?;
    let source_classes = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?.collect::<Result<_, _>>()?;
    let mut statement = conn.prepare("SELECT alias_key, target_key FROM source_alias")?;
    let source_aliases = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?.collect::<Result<_, _>>()?;
    let language = get("language")?.filter(|l| l == "nl" || l == "en");
    let margin_per_sale = get("margin_per_sale")?.and_then(|v| v.parse::<f64>().ok()).filter(|m| m.is_finite() && *m > 0.0);
    let fold_sources_below = get("fold_sources_below")?.and_then(|v| v.parse().ok()).unwrap_or(crate::metrics::FOLD_SOURCES_BELOW);
    Ok(Settings { norm, status_words, source_classes, source_aliases, language, margin_per_sale, fold_sources_below })
}
