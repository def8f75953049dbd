//! Tolerant decoding for fields whose JSON type differs between server versions.
//!
//! v1 at HEAD emits integers, old docs and v2 up to v0.23 emit numeric strings, and v2 at HEAD
//! emits float epochs for `updated` (reference §4.9, §5.2). One attribute covers every such
//! field: `#[serde(default, with = "lenient")]` (plus `skip_serializing_if` where `None` is
//! left out). The field's type picks the leniency ([`Lenient`]), serializing is serde's
//! plain form, so the way out is exactly what a derive writes:
//!
//! | field type | accepted on the way in |
//! |---|---|
//! | `Option<u64>` | number, float (truncated), numeric string, `""` or `null` (`None`) |
//! | `Option<bool>` | bool, `"true"`/`"false"` (and `1`/`0`, `on`/`off`, `yes`/`no`), `""` or `null` |
//! | `Option<String>` | string, number or bool (as text), `null` |
//! | `String` | as `Option<String>`, `null` read as `""` |
//! | `Vec<String>` | array, `", "`-joined string (v2 records), `null` (empty) |
//! | `Option<Vec<String>>` | as `Vec<String>`, `null` is `None` |
//!
//! Request parameters that Onetime reads with Ruby's `String#to_i` (`ttl`, `length`) use
//! `with = "lenient::param"` instead.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Serialize, Serializer};

/// A field type with a tolerant decoder (see the module docs for what each accepts).
pub(crate) trait Lenient: Sized {
    /// Decodes the field, tolerating every form some server version sends.
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// The `deserialize` half of `with = "lenient"`.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    T::deserialize_lenient(d)
}

/// The `serialize` half of `with = "lenient"`: serde's plain form, as a derive writes it.
pub(crate) fn serialize<S: Serializer, T: Serialize>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    value.serialize(s)
}

/// `with = "lenient::param"`: an `Option<u64>` request parameter. A non-numeric string
/// counts as Ruby's `String#to_i` would read it (leading digits, else 0), which is how
/// Onetime reads `ttl`.
pub(crate) mod param {
    use serde::{Deserializer, Serialize, Serializer};

    use super::U64Visitor;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        d.deserialize_any(U64Visitor { ruby_to_i: true })
    }

    pub(crate) fn serialize<S: Serializer>(value: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }
}

/// Negative numbers become 0: no field this is used for can be negative.
impl Lenient for Option<u64> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(U64Visitor { ruby_to_i: false })
    }
}

impl Lenient for Option<bool> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

/// v2 ids and short ids are sometimes numeric strings, sometimes not; a number must not fail
/// the whole record.
impl Lenient for Option<String> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StringVisitor)
    }
}

impl Lenient for String {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<String>::deserialize_lenient(d)?.unwrap_or_default())
    }
}

/// Recipient lists: a JSON array (v1), a `", "`-joined string (v2 records) or `null`.
impl Lenient for Vec<String> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListVisitor)
    }
}

impl Lenient for Option<Vec<String>> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OptListVisitor)
    }
}

/// `null`, a missing `Option`'s inside and `Some(x)`: the same for every visitor here. A
/// `null` reads as `$empty`; a wrapped value is decoded by the visitor itself.
macro_rules! null_reads_as {
    ($de:lifetime, $empty:expr) => {
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($empty)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($empty)
        }

        fn visit_some<D: Deserializer<$de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    };
}

struct U64Visitor {
    ruby_to_i: bool,
}

impl<'de> Visitor<'de> for U64Visitor {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, a numeric string or null")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(u64::try_from(v).unwrap_or(0)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.is_finite() {
            // `as` saturates: negatives become 0, huge values u64::MAX.
            Ok(Some(v.trunc() as u64))
        } else {
            Err(E::custom("a non-finite number"))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        if let Ok(n) = v.parse::<u64>() {
            return Ok(Some(n));
        }
        if self.ruby_to_i {
            let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
            return Ok(Some(digits.parse().unwrap_or(if digits.is_empty() {
                0
            } else {
                u64::MAX
            })));
        }
        match v.parse::<f64>() {
            Ok(f) => self.visit_f64(f),
            Err(_) => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }

    null_reads_as!('de, None);
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, \"true\"/\"false\" or null")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v != 0))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v != 0))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match v.trim() {
            "" => Ok(None),
            "true" | "1" | "on" | "yes" => Ok(Some(true)),
            "false" | "0" | "off" | "no" => Ok(Some(false)),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }

    null_reads_as!('de, None);
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of strings, a comma-separated string or null")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element::<String>()? {
            out.push(item);
        }
        Ok(out)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect())
    }

    null_reads_as!('de, Vec::new());
}

struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number or null")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    null_reads_as!('de, None);
}

struct OptListVisitor;

impl<'de> Visitor<'de> for OptListVisitor {
    type Value = Option<Vec<String>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ListVisitor.expecting(f)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ListVisitor.visit_seq(seq).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        ListVisitor.visit_str(v).map(Some)
    }

    null_reads_as!('de, None);
}
