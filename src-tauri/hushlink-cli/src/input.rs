//! Reading secrets and passphrases from standard input or a hidden prompt.

use std::io::{self, IsTerminal, Read};

use hushlink_protocol::SecretText;
use zeroize::Zeroize;

use crate::{args::PassphraseArgs, CliError};

/// Standard input, whole, minus one trailing line break.
fn read_stdin() -> Result<String, CliError> {
    let mut text = String::new();
    io::stdin()
        .read_to_string(&mut text)
        .map_err(CliError::Io)?;
    strip_newline(&mut text);
    Ok(text)
}

fn strip_newline(text: &mut String) {
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
}

fn prompt(label: &str) -> Result<SecretText, CliError> {
    if !io::stderr().is_terminal() && !io::stdin().is_terminal() {
        return Err(CliError::Input(format!(
            "no terminal to ask for the {label}: pipe it to standard input instead"
        )));
    }
    rpassword::prompt_password(format!("{label}: "))
        .map(SecretText::from)
        .map_err(CliError::Io)
}

/// Splits the first line off `text` (the passphrase with `--passphrase-stdin`).
fn split_first_line(mut text: String) -> (SecretText, SecretText) {
    let (first, rest) = match text.split_once('\n') {
        Some((first, rest)) => (first.trim_end_matches('\r').to_owned(), rest.to_owned()),
        None => (text.clone(), String::new()),
    };
    text.zeroize();
    (SecretText::from(first), SecretText::from(rest))
}

/// The secret to share and its optional passphrase.
pub fn secret_and_passphrase(
    how: PassphraseArgs,
) -> Result<(SecretText, Option<SecretText>), CliError> {
    if how.passphrase_stdin {
        let (passphrase, secret) = split_first_line(read_stdin()?);
        return Ok((secret, Some(passphrase)));
    }
    let secret = if io::stdin().is_terminal() {
        prompt("Secret (hidden; one line)")?
    } else {
        SecretText::from(read_stdin()?)
    };
    let passphrase = if how.passphrase {
        Some(new_passphrase()?)
    } else {
        None
    };
    Ok((secret, passphrase))
}

/// A passphrase for a new secret: prompted twice.
pub fn new_passphrase() -> Result<SecretText, CliError> {
    let first = prompt("Passphrase")?;
    let again = prompt("Passphrase again")?;
    if first != again {
        return Err(CliError::Input("the passphrases differ".into()));
    }
    Ok(first)
}

/// A passphrase for generate, reveal or burn, if asked for.
pub fn passphrase(how: PassphraseArgs, confirm: bool) -> Result<Option<SecretText>, CliError> {
    if how.passphrase_stdin {
        let (first, _) = split_first_line(read_stdin()?);
        Ok(Some(first))
    } else if how.passphrase {
        if confirm {
            new_passphrase().map(Some)
        } else {
            prompt("Passphrase").map(Some)
        }
    } else {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_is_the_passphrase() {
        let (p, s) = split_first_line("open sesame\r\nline 1\nline 2".into());
        assert_eq!((p.expose(), s.expose()), ("open sesame", "line 1\nline 2"));
        let mut text = String::from("a\r\n");
        strip_newline(&mut text);
        assert_eq!(text, "a");
    }
}
