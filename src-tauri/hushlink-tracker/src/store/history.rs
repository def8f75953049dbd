//! The append-only activity log and its CSV export.
//!
//! SQLite triggers refuse UPDATE and DELETE on the table (see the schema), so not even a bug
//! in this crate can rewrite the user's record. Rows name labels, profiles and outcomes,
//! never secret text, links or keys. A row's detail is stored as its [`HistoryDetail`]'s JSON
//! (older rows hold English, read by [`HistoryDetail::from_stored`]).

use rusqlite::{params, Connection};

use super::Store;
use crate::error::Result;
use crate::history_detail::HistoryDetail;
use crate::model::{HistoryFilter, HistoryKind, HistoryRow};
use crate::notify::catalog::{self, Lang};

/// Appends one row inside an open transaction (or on a plain connection).
pub(super) fn append_in(
    conn: &Connection,
    at: i64,
    kind: HistoryKind,
    entry_id: Option<&str>,
    label: Option<&str>,
    profile_id: Option<&str>,
    detail: Option<&HistoryDetail>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO history (at, kind, entry_id, label, profile_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![at, kind.as_str(), entry_id, label, profile_id, detail.map(HistoryDetail::to_stored)],
    )?;
    Ok(())
}

/// A history row to append that is not tied to a state transition (failures, receipts).
#[derive(Debug, Clone, Default)]
pub struct HistoryNote<'a> {
    /// Entry concerned.
    pub entry_id: Option<&'a str>,
    /// Its label.
    pub label: Option<&'a str>,
    /// Profile concerned.
    pub profile_id: Option<&'a str>,
    /// What the row adds to its kind; never secret content.
    pub detail: Option<&'a HistoryDetail>,
}

impl Store {
    /// Appends a row to the activity log.
    pub fn append_history(&self, at: i64, kind: HistoryKind, note: &HistoryNote<'_>) -> Result<()> {
        append_in(
            &self.conn(),
            at,
            kind,
            note.entry_id,
            note.label,
            note.profile_id,
            note.detail,
        )
    }

    /// Rows matching `filter`, newest first.
    pub fn history(&self, filter: &HistoryFilter) -> Result<Vec<HistoryRow>> {
        let mut sql = String::from(
            "SELECT id, at, kind, entry_id, label, profile_id, detail FROM history WHERE 1 = 1",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if !filter.kinds.is_empty() {
            let marks = vec!["?"; filter.kinds.len()].join(", ");
            sql.push_str(&format!(" AND kind IN ({marks})"));
            args.extend(filter.kinds.iter().map(|k| k.as_str().to_owned().into()));
        }
        for (column, value) in [
            ("profile_id", &filter.profile_id),
            ("entry_id", &filter.entry_id),
        ] {
            if let Some(value) = value {
                sql.push_str(&format!(" AND {column} = ?"));
                args.push(value.clone().into());
            }
        }
        if let Some(search) = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            // In a detail only a name is searched (a received secret's host), never its JSON
            // keys or codes; an older row's English is searched as stored.
            sql.push_str(concat!(
                " AND (instr(lower(coalesce(label, '')), lower(?)) > 0",
                " OR instr(lower(coalesce(CASE WHEN json_valid(detail)",
                " THEN json_extract(detail, '$.args.host') ELSE detail END, '')), lower(?)) > 0)",
            ));
            args.push(search.to_owned().into());
            args.push(search.to_owned().into());
        }
        if let Some(since) = filter.since {
            sql.push_str(" AND at >= ?");
            args.push(since.into());
        }
        if let Some(until) = filter.until {
            sql.push_str(" AND at < ?");
            args.push(until.into());
        }
        sql.push_str(" ORDER BY id DESC");
        if let Some(limit) = filter.limit {
            sql.push_str(" LIMIT ?");
            args.push(i64::from(limit).into());
        }
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |row| {
            let kind: String = row.get(2)?;
            Ok(HistoryRow {
                id: row.get(0)?,
                at: row.get(1)?,
                kind: HistoryKind::parse(&kind).unwrap_or(HistoryKind::Failed),
                entry_id: row.get(3)?,
                label: row.get(4)?,
                profile_id: row.get(5)?,
                detail: row
                    .get::<_, Option<String>>(6)?
                    .map(|stored| HistoryDetail::from_stored(&stored)),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The rows matching `filter` as CSV in the language the app shows ([`catalog::language`]).
    pub fn export_csv(&self, filter: &HistoryFilter) -> Result<String> {
        self.export_csv_in(filter, catalog::language())
    }

    /// The rows matching `filter` as CSV (RFC 4180, header line, times in UTC ISO 8601). Each
    /// row has its event twice: `event` is the code (`created`, `viewed`, ...: the same in
    /// every language, for scripts and filters) and `what` the vocabulary's word for it in
    /// `lang` (docs/vocabulary.md), for people reading the sheet.
    pub fn export_csv_in(&self, filter: &HistoryFilter, lang: Lang) -> Result<String> {
        let mut out = String::from("time,event,what,label,profile,entry,detail\r\n");
        for row in self.history(filter)?.into_iter().rev() {
            let time = chrono::DateTime::from_timestamp_millis(row.at)
                .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or_default();
            let detail = row
                .detail
                .as_ref()
                .map(|d| detail_words(lang, d))
                .unwrap_or_default();
            let fields = [
                time.as_str(),
                row.kind.as_str(),
                catalog::text(lang, word_key(row.kind)),
                row.label.as_deref().unwrap_or(""),
                row.profile_id.as_deref().unwrap_or(""),
                row.entry_id.as_deref().unwrap_or(""),
                detail.as_str(),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        Ok(out)
    }
}

/// The catalogue key of the word for `kind`: a secret's own steps use the vocabulary's
/// history words (`history.*`), the rest the History screen's (as `History.svelte` shows them).
fn word_key(kind: HistoryKind) -> &'static str {
    match kind {
        HistoryKind::Created => "history.unread",
        HistoryKind::Opened => "history.viewed",
        HistoryKind::Burned => "history.burned",
        HistoryKind::Expired => "history.expired",
        HistoryKind::Orphaned => "history.orphaned",
        HistoryKind::Failed => "historyScreen.kind.failed",
        HistoryKind::Received => "historyScreen.kind.received",
        HistoryKind::Forgotten => "historyScreen.kind.forgotten",
    }
}

/// A detail in `lang`, in the History screen's words (`history-words.ts` says the same):
/// the catalogue's `historyScreen.detail.<code>` filled with the args. An older row's text
/// that this build cannot read stays as stored.
fn detail_words(lang: Lang, detail: &HistoryDetail) -> String {
    match detail {
        HistoryDetail::Received { host } => {
            catalog::fill(lang, "historyScreen.detail.received", &[("host", host)])
        }
        HistoryDetail::Failed { action, error } => {
            let action_key = format!("historyScreen.action.{}", action.as_str());
            let problem_key = error_title_key(*error);
            let action = catalog::text(lang, &action_key);
            let problem = catalog::text(lang, &problem_key);
            catalog::fill(
                lang,
                "historyScreen.detail.failed",
                &[("action", action), ("problem", problem)],
            )
        }
        HistoryDetail::Legacy { text } => text.clone(),
    }
}

/// The catalogue key of a failure's title, `error.<code>.title`, or the general sentence's
/// when the code has no words of its own (as `errors.ts` falls back).
fn error_title_key(error: crate::error::ErrorCode) -> String {
    let own = format!("error.{}.title", error.as_str());
    if catalog::text(Lang::En, &own) == own {
        "error.fallback.title".to_owned()
    } else {
        own
    }
}

/// Quotes a CSV field, and defuses text a spreadsheet would run as a formula (a label such
/// as `=HYPERLINK(...)` must stay text when the export is opened).
fn csv_field(field: &str) -> String {
    let defused = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_a_word_of_its_own_in_every_language() {
        for lang in Lang::ALL {
            let words: std::collections::HashSet<&str> = HistoryKind::ALL
                .iter()
                .map(|kind| catalog::text(lang, word_key(*kind)))
                .collect();
            assert_eq!(words.len(), HistoryKind::ALL.len(), "{lang:?}: {words:?}");
            for kind in HistoryKind::ALL {
                assert_ne!(
                    catalog::text(lang, word_key(kind)),
                    word_key(kind),
                    "{lang:?}"
                );
            }
        }
    }

    #[test]
    fn every_detail_is_said_in_every_language_with_plain_placeholders_only() {
        use crate::error::{ErrorCode, TrackerCode};
        use crate::history_detail::HistoryAction;
        let codes = hushlink_client::ErrorCode::ALL
            .into_iter()
            .map(ErrorCode::of_client)
            .chain(TrackerCode::ALL.into_iter().map(ErrorCode::from));
        let mut keys: Vec<String> = codes.map(error_title_key).collect();
        keys.extend(HistoryAction::ALL.map(|a| format!("historyScreen.action.{}", a.as_str())));
        keys.extend(
            [
                "historyScreen.detail.received",
                "historyScreen.detail.failed",
            ]
            .map(String::from),
        );
        for lang in Lang::ALL {
            for key in &keys {
                let text = catalog::text(lang, key);
                assert_ne!(text, key, "{lang:?} has no words for {key}");
                // `catalog::fill` fills `{name}` only: an ICU plural or select would show raw.
                assert!(
                    !text.contains(", plural") && !text.contains(", select"),
                    "{lang:?} {key}: {text}"
                );
            }
        }
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("line\nbreak"), "\"line\nbreak\"");
    }
}
