//! The shared test data in the repository's `tests/fixtures/`: documented Onetime answers
//! (`onetime/NAME.json`), recordings of a real server (`onetime/real-v0.23.6/`), TLS
//! certificates (`tls/`) and end-to-end vectors (`e2e-vectors.json`).

use std::path::PathBuf;

use crate::Answer;

/// The path of `relative` under `tests/fixtures/`.
pub fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(relative)
}

/// The text of `relative` under `tests/fixtures/`; panics naming the file when it cannot be
/// read.
pub fn read_to_string(relative: &str) -> String {
    let path = path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The bytes of `relative` under `tests/fixtures/` (certificates, keys).
pub fn read(relative: &str) -> Vec<u8> {
    let path = path(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The documented answer `tests/fixtures/onetime/NAME.json` (its `reference` and `doc`
/// fields are notes for readers and are skipped).
pub fn onetime(name: &str) -> Answer {
    let relative = format!("onetime/{name}.json");
    serde_json::from_str(&read_to_string(&relative))
        .unwrap_or_else(|e| panic!("{relative} is not an answer: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documented_answer_loads_with_its_status_headers_and_body() {
        let share = onetime("v1_share");
        assert_eq!(share.status, 200);
        assert_eq!(
            share.headers.get("Content-Type").map(String::as_str),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(share.body["state"], "new");
        assert_eq!(onetime("v2_error_limit_exceeded").status, 429);
    }

    #[test]
    #[should_panic(expected = "onetime/no_such_fixture.json")]
    fn a_missing_fixture_names_its_path() {
        onetime("no_such_fixture");
    }
}
