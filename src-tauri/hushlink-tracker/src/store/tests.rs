//! Store behaviour: records, filters, transitions, restart, and what the file holds.

use super::*;
use crate::history_detail::HistoryDetail;
use crate::keychain::MemoryKeychain;
use crate::model::{HistoryFilter, HistoryKind, ListFilter, SecretState, SortKey};
use crate::notify::catalog::{self, Lang};

const LINK: &str = "https://eu.onetimesecret.com/secret/linkkey0123456789abcdefghij";
const RECEIPT: &str = "receiptkey0123456789abcdefghijklmnop";

fn new_entry<'a>(
    label: &'a str,
    profile: &'a str,
    recipient: Option<&'a str>,
    at: i64,
) -> NewEntry<'a> {
    NewEntry {
        label,
        profile_id: profile,
        recipient,
        created_at: at,
        expires_at: at + 3_600_000,
        has_passphrase: false,
        end_to_end: false,
        notify: true,
        share_link: LINK,
        receipt_key: RECEIPT,
        next_check_at: at + 15_000,
    }
}

#[test]
fn capabilities_round_trip_but_never_reach_the_file_in_clear() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tracker.sqlite3");
    let keychain = MemoryKeychain::new();
    let store = Store::open(&path, &keychain).expect("opens");
    let entry = store
        .insert(&new_entry("VPN for Sam", "eu", None, 1_000))
        .expect("inserts");
    assert_eq!(store.share_link(&entry.id).expect("opens").as_str(), LINK);
    assert_eq!(
        store.receipt_key(&entry.id).expect("opens").as_str(),
        RECEIPT
    );
    drop(store);

    let mut bytes = std::fs::read(&path).expect("db file");
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if let Ok(more) = std::fs::read(&wal) {
        bytes.extend(more);
    }
    for needle in [LINK, RECEIPT, "linkkey0123456789"] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle:?} is stored in clear"
        );
    }
    assert!(
        bytes.windows(11).any(|w| w == b"VPN for Sam"),
        "labels are in clear, so this byte search can find what is there"
    );
}

#[test]
fn list_filters_by_state_profile_and_text_and_sorts() {
    let store = Store::open_in_memory().expect("opens");
    let a = store
        .insert(&new_entry(
            "VPN password for Sam",
            "eu",
            Some("sam@example.com"),
            1_000,
        ))
        .expect("a");
    let b = store
        .insert(&new_entry("Wi-Fi guest", "us", Some("front desk"), 2_000))
        .expect("b");
    let c = store
        .insert(&new_entry("Database root", "eu", None, 3_000))
        .expect("c");
    store
        .transition(&b.id, SecretState::Opened, 5_000)
        .expect("transition");

    let ids = |filter: ListFilter| -> Vec<String> {
        store
            .list(&filter)
            .expect("lists")
            .into_iter()
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(
        ids(ListFilter::default()),
        [c.id.clone(), b.id.clone(), a.id.clone()],
        "newest first by default"
    );
    assert_eq!(
        ids(ListFilter {
            reverse: true,
            ..ListFilter::default()
        }),
        [a.id.clone(), b.id.clone(), c.id.clone()]
    );
    assert_eq!(
        ids(ListFilter {
            states: vec![SecretState::Opened],
            ..ListFilter::default()
        }),
        vec![b.id.clone()]
    );
    assert_eq!(
        ids(ListFilter {
            profile_id: Some("eu".into()),
            sort: SortKey::Label,
            ..ListFilter::default()
        }),
        [c.id.clone(), a.id.clone()],
        "A to Z within the eu profile"
    );
    assert_eq!(
        ids(ListFilter {
            search: Some("SAM@".into()),
            ..ListFilter::default()
        }),
        vec![a.id.clone()],
        "search is case-insensitive and covers the recipient"
    );
    assert_eq!(
        ids(ListFilter {
            search: Some("%".into()),
            ..ListFilter::default()
        }),
        Vec::<String>::new(),
        "wildcards are literal"
    );
}

#[test]
fn a_transition_is_recorded_once_with_history() {
    let store = Store::open_in_memory().expect("opens");
    let e = store
        .insert(&new_entry("x", "eu", None, 1_000))
        .expect("inserts");
    let moved = store
        .transition(&e.id, SecretState::Opened, 2_000)
        .expect("works");
    assert_eq!(moved.map(|m| m.state), Some(SecretState::Opened));
    assert!(
        store
            .transition(&e.id, SecretState::Opened, 3_000)
            .expect("works")
            .is_none(),
        "reported twice"
    );
    let detail = store.detail(&e.id).expect("detail");
    let states: Vec<_> = detail.history.iter().map(|c| (c.state, c.at)).collect();
    assert_eq!(
        states,
        [(SecretState::Unread, 1_000), (SecretState::Opened, 2_000)]
    );
    let log = store.history(&HistoryFilter::default()).expect("history");
    let kinds: Vec<_> = log.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [HistoryKind::Opened, HistoryKind::Created],
        "newest first"
    );
}

#[test]
fn due_entries_come_in_schedule_order_and_leave_when_terminal() {
    let store = Store::open_in_memory().expect("opens");
    let a = store.insert(&new_entry("a", "eu", None, 1_000)).expect("a");
    let b = store.insert(&new_entry("b", "eu", None, 1_000)).expect("b");
    store
        .reschedule(&a.id, Some(10_000), 50_000)
        .expect("reschedules");
    assert_eq!(store.next_due().expect("works"), Some(16_000));
    let due: Vec<_> = store
        .due(60_000, 10)
        .expect("works")
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(due, [b.id.clone(), a.id.clone()]);
    store
        .transition(&b.id, SecretState::Burned, 20_000)
        .expect("works");
    assert_eq!(store.due(60_000, 10).expect("works").len(), 1);
    assert_eq!(store.active_count().expect("works"), 1);
}

#[test]
fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tracker.sqlite3");
    let keychain = MemoryKeychain::new();
    let store = Store::open(&path, &keychain).expect("opens");
    let e = store
        .insert(&new_entry("kept", "eu", Some("ana"), 1_000))
        .expect("inserts");
    store
        .transition(&e.id, SecretState::Expired, 9_000)
        .expect("works");
    drop(store);
    let store = Store::open(&path, &keychain).expect("reopens");
    let detail = store.detail(&e.id).expect("still there");
    assert_eq!(detail.entry.state, SecretState::Expired);
    assert_eq!(detail.history.len(), 2);
    assert_eq!(store.share_link(&e.id).expect("still opens").as_str(), LINK);
}

#[test]
fn forgetting_removes_the_entry_but_not_its_history() {
    let store = Store::open_in_memory().expect("opens");
    let e = store
        .insert(&new_entry("gone soon", "eu", None, 1_000))
        .expect("inserts");
    store.forget(&e.id, 2_000).expect("forgets");
    assert_eq!(
        store.get(&e.id).expect_err("gone").code(),
        "entry_not_found"
    );
    let csv = store
        .export_csv_in(&HistoryFilter::default(), Lang::En)
        .expect("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "time,event,what,label,profile,entry,detail");
    let word = |key| catalog::text(Lang::En, key).to_owned();
    assert!(
        lines[1].contains(&format!(
            ",created,{},gone soon,eu,",
            word("history.unread")
        )),
        "{csv}"
    );
    assert!(
        lines[2].contains(&format!(
            ",forgotten,{},gone soon,eu,",
            word("historyScreen.kind.forgotten")
        )),
        "{csv}"
    );
    assert!(!csv.contains("linkkey"), "no capability in the export");
    // The same rows in German: the codes stay, the words follow the language.
    let german = store
        .export_csv_in(&HistoryFilter::default(), Lang::De)
        .expect("csv");
    let german_lines: Vec<&str> = german.lines().collect();
    assert!(german_lines[1].contains(",created,"), "{german}");
    assert!(
        german_lines[1].contains(catalog::text(Lang::De, "history.unread")),
        "{german}"
    );
    assert_ne!(lines[1], german_lines[1], "the word is the language's");
}

#[test]
fn history_filters_by_kind_and_time() {
    let store = Store::open_in_memory().expect("opens");
    let e = store
        .insert(&new_entry("one", "eu", None, 1_000))
        .expect("inserts");
    store
        .transition(&e.id, SecretState::Opened, 5_000)
        .expect("works");
    store
        .append_history(
            7_000,
            HistoryKind::Received,
            &HistoryNote {
                detail: Some(&HistoryDetail::Received {
                    host: "eu.onetimesecret.com".into(),
                }),
                ..HistoryNote::default()
            },
        )
        .expect("appends");
    let only = |filter: HistoryFilter| -> Vec<HistoryKind> {
        store
            .history(&filter)
            .expect("works")
            .into_iter()
            .map(|r| r.kind)
            .collect()
    };
    assert_eq!(
        only(HistoryFilter {
            kinds: vec![HistoryKind::Received],
            ..HistoryFilter::default()
        }),
        [HistoryKind::Received]
    );
    assert_eq!(
        only(HistoryFilter {
            since: Some(2_000),
            until: Some(7_000),
            ..HistoryFilter::default()
        }),
        [HistoryKind::Opened]
    );
    assert_eq!(
        only(HistoryFilter {
            search: Some("ONETIME".into()),
            ..HistoryFilter::default()
        }),
        [HistoryKind::Received]
    );
}
