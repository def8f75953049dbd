//! Times on pages: `<time>` elements in UTC, which the page script shows in the reader's own
//! time zone. No date crate is needed for one conversion.

use super::html::{escape, fill, Html};

/// A Unix time as a `<time>` element: machine-readable `datetime` attribute, readable UTC
/// text as the fallback when scripts are off.
pub fn time_element(unix_secs: i64) -> Html {
    let (date, clock) = utc_parts(unix_secs);
    let iso = format!("{date}T{clock}Z");
    let text = format!("{date} {} UTC", &clock[..5]);
    fill(
        r#"<time datetime="{{iso}}">{{text}}</time>"#,
        &[("iso", &escape(&iso)), ("text", &escape(&text))],
    )
}

/// `("YYYY-MM-DD", "HH:MM:SS")` in UTC.
pub(crate) fn utc_parts(unix_secs: i64) -> (String, String) {
    let days = unix_secs.div_euclid(86_400);
    let secs = unix_secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!(
            "{:02}:{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        ),
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, public domain).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates_convert() {
        assert_eq!(utc_parts(0), ("1970-01-01".into(), "00:00:00".into()));
        assert_eq!(
            utc_parts(951_782_400),
            ("2000-02-29".into(), "00:00:00".into()),
            "leap day of a century leap year"
        );
        assert_eq!(
            utc_parts(1_782_197_560),
            ("2026-06-23".into(), "06:52:40".into())
        );
        assert_eq!(utc_parts(-1), ("1969-12-31".into(), "23:59:59".into()));
    }

    #[test]
    fn time_element_is_machine_and_human_readable() {
        assert_eq!(
            time_element(1_782_197_560).as_str(),
            r#"<time datetime="2026-06-23T06:52:40Z">2026-06-23 06:52 UTC</time>"#
        );
    }
}
