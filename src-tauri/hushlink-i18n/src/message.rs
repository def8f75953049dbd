//! The ICU MessageFormat syntax the catalogues use, read and rendered as intl-messageformat
//! (the UI's library) reads and renders it:
//!
//! - `{name}`: the argument's value (a count as plain digits, as intl-messageformat writes a
//!   number in a simple argument);
//! - `{name, number}`: a count with the language's grouping ([`crate::number`]);
//! - `{name, plural, =N {…} one {…} many {…} other {…}}`: an exact `=N` branch, else the
//!   count's CLDR category ([`crate::plural_category`]), else `other`; `#` in a branch is the
//!   grouped count;
//! - `{name, select, key {…} other {…}}`: the branch named by the value, else `other`;
//! - apostrophes: `''` is one apostrophe; `'` before `{`, `}`, `<`, `>` (or `#` in a plural
//!   branch) quotes up to the next lone `'`; any other apostrophe is text ("l'été").
//!
//! Malformed syntax is shown as written from where it breaks, never a panic (the catalogue
//! tests catch it first). An argument `args` lacks goes to [`Sink::unbound`]: as written by
//! default, or a value of the caller's own (the relay's markup).

use crate::locale::{number, plural_category, Lang};

/// A value for a message's argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// Text, inserted as given (its own braces are not read as syntax).
    Text(&'a str),
    /// A whole number: chooses plural branches and is written with the language's grouping
    /// where the message says `#` or `{name, number}`.
    Count(u64),
}

/// Where a rendered message goes.
pub trait Sink {
    /// Text of the message or of an [`Arg`] (the relay escapes it for HTML).
    fn text(&mut self, text: &str);

    /// The argument `name`, which `args` did not give, written in the message as `written`.
    fn unbound(&mut self, name: &str, written: &str) {
        let _ = name;
        self.text(written);
    }
}

impl Sink for String {
    fn text(&mut self, text: &str) {
        self.push_str(text);
    }
}

/// `message` with its arguments and branches filled from `args`, in `lang`.
pub fn format(lang: Lang, message: &str, args: &[(&str, Arg<'_>)]) -> String {
    let mut out = String::with_capacity(message.len() + 16);
    render(lang, message, args, &mut out);
    out
}

/// [`format()`] into any [`Sink`].
pub fn render(lang: Lang, message: &str, args: &[(&str, Arg<'_>)], sink: &mut impl Sink) {
    let nodes = Parser::new(message).top();
    let renderer = Renderer { lang, args };
    renderer.nodes(&nodes, None, sink);
}

/// What a plural or select argument chooses between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plural,
    Select,
}

#[derive(Debug)]
enum Node {
    Text(String),
    /// `#` in a plural branch.
    Hash,
    Simple {
        name: String,
        written: String,
    },
    Number {
        name: String,
        written: String,
    },
    Choice {
        kind: Kind,
        name: String,
        branches: Vec<(String, Vec<Node>)>,
    },
}

/// Where the syntax broke (a char index): the rest of the message is shown from there.
struct Broken(usize);

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn new(message: &str) -> Self {
        Self {
            chars: message.chars().collect(),
            at: 0,
        }
    }

    /// The whole message. A stray `}` at the top level is text; broken syntax ends it with
    /// the rest as written.
    fn top(&mut self) -> Vec<Node> {
        let mut nodes = Vec::new();
        loop {
            match self.sequence(None, &mut nodes) {
                Ok(()) => {}
                Err(Broken(at)) => {
                    nodes.push(Node::Text(
                        self.chars[at.min(self.chars.len())..].iter().collect(),
                    ));
                    return nodes;
                }
            }
            if self.at >= self.chars.len() {
                return nodes;
            }
            nodes.push(Node::Text("}".into()));
            self.at += 1;
        }
    }

    /// Nodes up to an unmatched `}` (left unread) or the end. `parent` is the kind of the
    /// choice whose branch this is (`#` is syntax only in a plural's).
    fn sequence(&mut self, parent: Option<Kind>, nodes: &mut Vec<Node>) -> Result<(), Broken> {
        let mut text = String::new();
        let in_plural = parent == Some(Kind::Plural);
        while let Some(&c) = self.chars.get(self.at) {
            match c {
                '\'' => self.apostrophe(in_plural, &mut text),
                '#' if in_plural => {
                    flush(&mut text, nodes);
                    nodes.push(Node::Hash);
                    self.at += 1;
                }
                '{' => {
                    flush(&mut text, nodes);
                    nodes.push(self.argument()?);
                }
                '}' => break,
                c => {
                    text.push(c);
                    self.at += 1;
                }
            }
        }
        flush(&mut text, nodes);
        Ok(())
    }

    /// An apostrophe: `''` is one; before a syntax character it quotes up to the next lone
    /// apostrophe (or the end); otherwise it is text.
    fn apostrophe(&mut self, in_plural: bool, text: &mut String) {
        let next = self.chars.get(self.at + 1).copied();
        if next == Some('\'') {
            text.push('\'');
            self.at += 2;
            return;
        }
        if !(matches!(next, Some('{' | '}' | '<' | '>')) || (in_plural && next == Some('#'))) {
            text.push('\'');
            self.at += 1;
            return;
        }
        self.at += 1;
        while let Some(&c) = self.chars.get(self.at) {
            self.at += 1;
            if c == '\'' {
                if self.chars.get(self.at) == Some(&'\'') {
                    text.push('\'');
                    self.at += 1;
                    continue;
                }
                return;
            }
            text.push(c);
        }
    }

    /// An argument whose `{` is at the current position; leaves the position after its `}`.
    /// Broken anywhere inside, it is broken from its own `{` (shown whole, as written).
    fn argument(&mut self) -> Result<Node, Broken> {
        let open = self.at;
        self.argument_from(open).map_err(|_| Broken(open))
    }

    fn argument_from(&mut self, open: usize) -> Result<Node, Broken> {
        self.at += 1;
        let name = self.word();
        if name.is_empty() {
            return Err(Broken(open));
        }
        match self.chars.get(self.at) {
            Some('}') => {
                self.at += 1;
                Ok(Node::Simple {
                    name,
                    written: self.chars[open..self.at].iter().collect(),
                })
            }
            Some(',') => {
                self.at += 1;
                let kind = self.word();
                match (kind.as_str(), self.chars.get(self.at)) {
                    ("number", Some('}')) => {
                        self.at += 1;
                        Ok(Node::Number {
                            name,
                            written: self.chars[open..self.at].iter().collect(),
                        })
                    }
                    ("plural", Some(',')) => self.branches(Kind::Plural, name, open),
                    ("select", Some(',')) => self.branches(Kind::Select, name, open),
                    _ => Err(Broken(open)),
                }
            }
            _ => Err(Broken(open)),
        }
    }

    /// The branches of a choice, from after its type's comma to after its closing `}`.
    fn branches(&mut self, kind: Kind, name: String, open: usize) -> Result<Node, Broken> {
        self.at += 1;
        let mut branches = Vec::new();
        loop {
            self.skip_space();
            match self.chars.get(self.at) {
                Some('}') => break,
                None => return Err(Broken(open)),
                _ => {}
            }
            let selector = self.word();
            if selector.is_empty() || self.chars.get(self.at) != Some(&'{') {
                return Err(Broken(open));
            }
            self.at += 1;
            let mut branch = Vec::new();
            self.sequence(Some(kind), &mut branch)?;
            if self.chars.get(self.at) != Some(&'}') {
                return Err(Broken(open));
            }
            self.at += 1;
            branches.push((selector, branch));
        }
        // intl-messageformat refuses a choice without `other`: show it as written.
        if !branches.iter().any(|(s, _)| s == "other") {
            return Err(Broken(open));
        }
        self.at += 1;
        Ok(Node::Choice {
            kind,
            name,
            branches,
        })
    }

    /// A name, type or selector, without the space around it.
    fn word(&mut self) -> String {
        self.skip_space();
        let mut word = String::new();
        while let Some(&c) = self.chars.get(self.at) {
            if c.is_whitespace() || matches!(c, ',' | '{' | '}') {
                break;
            }
            word.push(c);
            self.at += 1;
        }
        self.skip_space();
        word
    }

    fn skip_space(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }
}

fn flush(text: &mut String, nodes: &mut Vec<Node>) {
    if !text.is_empty() {
        nodes.push(Node::Text(std::mem::take(text)));
    }
}

struct Renderer<'a> {
    lang: Lang,
    args: &'a [(&'a str, Arg<'a>)],
}

impl Renderer<'_> {
    fn value(&self, name: &str) -> Option<Arg<'_>> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    /// Renders `nodes`; `hash` is what `#` stands for in a plural branch ("#" without a count).
    fn nodes(&self, nodes: &[Node], hash: Option<&str>, sink: &mut impl Sink) {
        for node in nodes {
            match node {
                Node::Text(text) => sink.text(text),
                Node::Hash => sink.text(hash.unwrap_or("#")),
                Node::Simple { name, written } => match self.value(name) {
                    Some(Arg::Text(text)) => sink.text(text),
                    Some(Arg::Count(n)) => sink.text(&n.to_string()),
                    None => sink.unbound(name, written),
                },
                Node::Number { name, written } => match self.value(name) {
                    Some(Arg::Text(text)) => sink.text(text),
                    Some(Arg::Count(n)) => sink.text(&number(self.lang, n)),
                    None => sink.unbound(name, written),
                },
                Node::Choice {
                    kind,
                    name,
                    branches,
                } => self.choice(*kind, name, branches, sink),
            }
        }
    }

    fn choice(
        &self,
        kind: Kind,
        name: &str,
        branches: &[(String, Vec<Node>)],
        sink: &mut impl Sink,
    ) {
        let value = self.value(name);
        let pick = |selector: &str| branches.iter().find(|(s, _)| s == selector);
        let other = pick("other");
        match (kind, value) {
            (Kind::Plural, Some(Arg::Count(n))) => {
                let chosen = pick(&format!("={n}"))
                    .or_else(|| pick(plural_category(self.lang, n)))
                    .or(other);
                if let Some((_, nodes)) = chosen {
                    self.nodes(nodes, Some(&number(self.lang, n)), sink);
                }
            }
            (Kind::Plural, _) => {
                if let Some((_, nodes)) = other {
                    self.nodes(nodes, Some("#"), sink);
                }
            }
            (Kind::Select, value) => {
                let chosen = match value {
                    Some(Arg::Text(text)) => pick(text).or(other),
                    _ => other,
                };
                if let Some((_, nodes)) = chosen {
                    // The parser read `#` in a select's branch as text, even inside a plural.
                    self.nodes(nodes, None, sink);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
