//! The activity log's details: stored as typed JSON, older English rows still read, search
//! on names only, and the CSV's detail column in the export's language.

use super::*;
use crate::history_detail::{HistoryAction, HistoryDetail};
use crate::model::{HistoryFilter, HistoryKind};
use crate::notify::catalog::{self, Lang};

#[test]
fn a_new_row_stores_its_detail_as_typed_json() {
    let store = Store::open_in_memory().expect("opens");
    let failed = HistoryDetail::Failed {
        action: HistoryAction::Burn,
        error: hushlink_client::ErrorCode::ServerUnreachable.into(),
    };
    store
        .append_history(
            1_000,
            HistoryKind::Failed,
            &HistoryNote {
                label: Some("wifi"),
                detail: Some(&failed),
                ..HistoryNote::default()
            },
        )
        .expect("appends");
    let stored: String = store
        .conn()
        .query_row("SELECT detail FROM history", [], |r| r.get(0))
        .expect("row");
    let json: serde_json::Value = serde_json::from_str(&stored).expect("JSON, not a sentence");
    assert_eq!(
        json,
        serde_json::json!({"code": "failed", "args": {"action": "burn", "error": "server_unreachable"}})
    );
    let rows = store.history(&HistoryFilter::default()).expect("reads");
    assert_eq!(rows[0].detail, Some(failed));
}

/// Rows as builds before typed details wrote them: English in the detail column.
fn old_rows(store: &Store) {
    for (at, kind, detail) in [
        (1_000, "received", "from old.example.com"),
        (2_000, "failed", "create: server_unreachable"),
        (3_000, "failed", "rename: storage_error"),
    ] {
        store
            .conn()
            .execute(
                "INSERT INTO history (at, kind, detail) VALUES (?1, ?2, ?3)",
                rusqlite::params![at, kind, detail],
            )
            .expect("inserts");
    }
}

#[test]
fn an_older_builds_english_row_still_reads() {
    let store = Store::open_in_memory().expect("opens");
    old_rows(&store);
    let details: Vec<_> = store
        .history(&HistoryFilter::default())
        .expect("reads")
        .into_iter()
        .rev()
        .map(|r| r.detail.expect("has one"))
        .collect();
    assert_eq!(
        details,
        [
            HistoryDetail::Received {
                host: "old.example.com".into()
            },
            HistoryDetail::Failed {
                action: HistoryAction::Create,
                error: hushlink_client::ErrorCode::ServerUnreachable.into()
            },
            HistoryDetail::Legacy {
                text: "rename: storage_error".into()
            },
        ]
    );
}

#[test]
fn search_finds_a_host_in_new_and_old_rows_but_not_json_or_codes() {
    let store = Store::open_in_memory().expect("opens");
    old_rows(&store);
    for detail in [
        HistoryDetail::Received {
            host: "new.example.com:7143".into(),
        },
        HistoryDetail::Failed {
            action: HistoryAction::Receive,
            error: hushlink_client::ErrorCode::WrongPassphrase.into(),
        },
    ] {
        store
            .append_history(
                5_000,
                HistoryKind::parse(detail.code()).expect("a kind"),
                &HistoryNote {
                    detail: Some(&detail),
                    ..HistoryNote::default()
                },
            )
            .expect("appends");
    }
    let found = |search: &str| -> Vec<i64> {
        store
            .history(&HistoryFilter {
                search: Some(search.into()),
                ..HistoryFilter::default()
            })
            .expect("searches")
            .into_iter()
            .map(|r| r.at)
            .collect()
    };
    assert_eq!(found("EXAMPLE.com"), [5_000, 1_000]);
    assert_eq!(found("7143"), [5_000]);
    for not_a_name in ["code", "args", "wrong_passphrase", "receive"] {
        assert_eq!(found(not_a_name), Vec::<i64>::new(), "{not_a_name}");
    }
}

#[test]
fn the_csv_says_details_in_its_language() {
    let store = Store::open_in_memory().expect("opens");
    old_rows(&store);
    store
        .append_history(
            5_000,
            HistoryKind::Received,
            &HistoryNote {
                detail: Some(&HistoryDetail::Received {
                    host: "new.example.com".into(),
                }),
                ..HistoryNote::default()
            },
        )
        .expect("appends");
    let german = store
        .export_csv_in(&HistoryFilter::default(), Lang::De)
        .expect("csv");
    let lines: Vec<&str> = german.lines().collect();
    assert_eq!(lines[0], "time,event,what,label,profile,entry,detail");
    let received = catalog::fill(
        Lang::De,
        "historyScreen.detail.received",
        &[("host", "new.example.com")],
    );
    assert!(lines[4].ends_with(&format!(",{received}")), "{german}");
    let failed = catalog::fill(
        Lang::De,
        "historyScreen.detail.failed",
        &[
            (
                "action",
                catalog::text(Lang::De, "historyScreen.action.create"),
            ),
            (
                "problem",
                catalog::text(Lang::De, "error.server_unreachable.title"),
            ),
        ],
    );
    assert!(lines[2].contains(&failed), "{german}");
    // Nothing English the export did not have: no "from", no codes in the detail column.
    assert!(!german.contains("from "), "{german}");
    assert!(!german.contains("server_unreachable"), "{german}");
    // A row this build cannot read stays as stored.
    assert!(lines[3].ends_with(",rename: storage_error"), "{german}");
}
