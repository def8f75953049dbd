//! QR codes of links, rendered in Rust as SVG so the UI only displays them.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// Renders `text` as an SVG QR code (error correction M: survives a smudged phone screen).
/// Fails only when the text is too long for any QR version.
pub fn svg(text: &str) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_an_svg_whose_modules_depend_on_the_text() {
        let a = svg("http://192.168.1.20:7143/secret/abc123#key").expect("fits");
        let b = svg("http://192.168.1.20:7143/secret/abc124#key").expect("fits");
        assert!(
            a.starts_with("<?xml") && a.contains("<svg"),
            "an SVG document"
        );
        assert_ne!(a, b, "different links must give different codes");
    }

    #[test]
    fn a_text_longer_than_any_qr_version_is_an_error() {
        assert!(
            svg(&"x".repeat(5_000)).is_err(),
            "QR version 40-M holds 2,331 bytes"
        );
    }
}
