//! Durations and sizes as people write them on a command line or in a file.

/// `3600`, `90s`, `30m`, `12h`, `14d` → seconds.
pub fn parse_duration(text: &str) -> std::result::Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("not a duration: {text:?}"))?;
    let factor = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(format!("unknown unit in {text:?} (use s, m, h or d)")),
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("duration too large: {text:?}"))
}

/// `10000`, `512KiB`, `1MiB`, `10kB`, `1MB` → bytes.
pub fn parse_size(text: &str) -> std::result::Result<usize, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let number: usize = digits
        .parse()
        .map_err(|_| format!("not a size: {text:?}"))?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "kib" | "k" => 1_024,
        "mb" => 1_000_000,
        "mib" | "m" => 1_048_576,
        _ => {
            return Err(format!(
                "unknown unit in {text:?} (use B, kB, KiB, MB or MiB)"
            ))
        }
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("size too large: {text:?}"))
}
