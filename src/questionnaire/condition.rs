//! Routing conditions: the `show_if` expressions of a definition.
//!
//! Grammar (keywords are case-insensitive):
//!
//! ```text
//! expr       := and ("or" and)*
//! and        := unary ("and" unary)*
//! unary      := "not" unary | "(" expr ")" | comparison
//! comparison := ID op value | ID "in" "[" value ("," value)* "]"
//! op         := "=" | "!=" | "<" | "<=" | ">" | ">="
//! value      := integer | word | "quoted text"
//! ```
//!
//! A comparison on a question that has no answer (not reached, hidden, skipped) is false, so
//! `Q3 = ja` hides a follow-up until Q3 is answered, and `not Q3 = ja` shows it meanwhile.
//! For a multiple-answer question `=` means "this option is among the chosen ones".

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Number(i64),
    Word(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => write!(f, "{n}"),
            Value::Word(w) => write!(f, "{w}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub fn is_ordering(self) -> bool {
        matches!(self, Op::Lt | Op::Le | Op::Gt | Op::Ge)
    }

    pub fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Op::Eq => ordering == Equal,
            Op::Ne => ordering != Equal,
            Op::Lt => ordering == Less,
            Op::Le => ordering != Greater,
            Op::Gt => ordering == Greater,
            Op::Ge => ordering != Less,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    Compare { question: String, op: Op, value: Value },
    In { question: String, values: Vec<Value> },
    Not(Box<Condition>),
    And(Vec<Condition>),
    Or(Vec<Condition>),
}

impl Condition {
    /// Every (question, value) this condition tests, for checking against the definition.
    pub fn comparisons(&self) -> Vec<(&str, Option<Op>, &Value)> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<(&'a str, Option<Op>, &'a Value)>) {
        match self {
            Condition::Compare { question, op, value } => out.push((question, Some(*op), value)),
            Condition::In { question, values } => out.extend(values.iter().map(|v| (question.as_str(), None, v))),
            Condition::Not(inner) => inner.collect(out),
            Condition::And(parts) | Condition::Or(parts) => parts.iter().for_each(|p| p.collect(out)),
        }
    }

    /// Evaluates with `test(question, op, value)`, which answers one comparison
    /// (false when the question has no answer).
    pub fn eval(&self, test: &dyn Fn(&str, Op, &Value) -> bool) -> bool {
        match self {
            Condition::Compare { question, op, value } => test(question, *op, value),
            Condition::In { question, values } => values.iter().any(|v| test(question, Op::Eq, v)),
            Condition::Not(inner) => !inner.eval(test),
            Condition::And(parts) => parts.iter().all(|p| p.eval(test)),
            Condition::Or(parts) => parts.iter().any(|p| p.eval(test)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (bij teken {position})")]
pub struct ParseError {
    pub position: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Number(i64),
    Quoted(String),
    Op(Op),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
}

fn lex(input: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let err = |position: usize, message: String| ParseError { position: position + 1, message };
    while i < chars.len() {
        let (pos, c) = chars[i];
        let next = chars.get(i + 1).map(|&(_, c)| c);
        match c {
            c if c.is_whitespace() => i += 1,
            '(' | ')' | '[' | ']' | ',' => {
                tokens.push((
                    pos,
                    match c {
                        '(' => Token::LParen,
                        ')' => Token::RParen,
                        '[' => Token::LBracket,
                        ']' => Token::RBracket,
                        _ => Token::Comma,
                    },
                ));
                i += 1;
            }
            '=' => {
                // Accept "==" as a courtesy to people who write code.
                i += if next == Some('=') { 2 } else { 1 };
                tokens.push((pos, Token::Op(Op::Eq)));
            }
            '!' | '<' | '>' => {
                let (op, len) = match (c, next) {
                    ('!', Some('=')) => (Op::Ne, 2),
                    ('<', Some('=')) => (Op::Le, 2),
                    ('>', Some('=')) => (Op::Ge, 2),
                    ('<', _) => (Op::Lt, 1),
                    ('>', _) => (Op::Gt, 1),
                    _ => return Err(err(pos, "'!' hoort bij '!=' (is niet gelijk aan)".into())),
                };
                tokens.push((pos, Token::Op(op)));
                i += len;
            }
            '"' | '\'' => {
                let quote = c;
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(err(pos, "tekst tussen aanhalingstekens is niet afgesloten".into())),
                        Some(&(_, ch)) if ch == quote => break,
                        Some(&(_, ch)) => text.push(ch),
                    }
                    i += 1;
                }
                i += 1;
                tokens.push((pos, Token::Quoted(text)));
            }
            // An option code may start with a digit ("1_4_keer"): only a run of digits alone is a number.
            c if (c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit())))
                && !starts_word(&chars[i..]) =>
            {
                let start = i;
                i += 1;
                while chars.get(i).is_some_and(|&(_, ch)| ch.is_ascii_digit()) {
                    i += 1;
                }
                let text: String = chars[start..i].iter().map(|&(_, ch)| ch).collect();
                let n = text.parse::<i64>().map_err(|_| err(pos, format!("getal '{text}' is te groot")))?;
                tokens.push((pos, Token::Number(n)));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while chars.get(i).is_some_and(|&(_, ch)| ch.is_alphanumeric() || ch == '_' || ch == '-' || ch == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().map(|&(_, ch)| ch).collect();
                tokens.push((pos, Token::Ident(text)));
            }
            other => return Err(err(pos, format!("onverwacht teken '{other}'"))),
        }
    }
    Ok(tokens)
}

/// Whether the characters from here form a word that begins with digits, like `1_4_keer`.
fn starts_word(rest: &[(usize, char)]) -> bool {
    let sign = usize::from(rest.first().is_some_and(|&(_, c)| c == '-'));
    let digits = rest.iter().skip(sign).take_while(|&&(_, c)| c.is_ascii_digit()).count();
    rest.get(sign + digits).is_some_and(|&(_, c)| c.is_alphabetic() || c == '_')
}

/// How deep brackets and `not` may nest. Real conditions use two or three levels; the parser
/// and the evaluation recurse per level, so a hostile file must not choose the depth.
pub const MAX_NESTING: usize = 16;

struct Parser {
    tokens: Vec<(usize, Token)>,
    at: usize,
    end: usize,
    depth: usize,
}

fn is_keyword(token: Option<&Token>, word: &str) -> bool {
    matches!(token, Some(Token::Ident(w)) if w.eq_ignore_ascii_case(word))
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(_, t)| t)
    }

    fn position(&self) -> usize {
        self.tokens.get(self.at).map(|(p, _)| *p).unwrap_or(self.end) + 1
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError { position: self.position(), message: message.into() })
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).map(|(_, t)| t.clone());
        self.at += 1;
        token
    }

    fn expr(&mut self) -> Result<Condition, ParseError> {
        let mut parts = vec![self.and()?];
        while is_keyword(self.peek(), "or") {
            self.at += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Condition::Or(parts) })
    }

    fn and(&mut self) -> Result<Condition, ParseError> {
        let mut parts = vec![self.unary()?];
        while is_keyword(self.peek(), "and") {
            self.at += 1;
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Condition::And(parts) })
    }

    fn unary(&mut self) -> Result<Condition, ParseError> {
        if is_keyword(self.peek(), "not") || self.peek() == Some(&Token::LParen) {
            self.depth += 1;
            if self.depth > MAX_NESTING {
                return self.fail(format!(
                    "de voorwaarde is te diep genest; gebruik hoogstens {MAX_NESTING} haakjes of 'not' binnen elkaar"
                ));
            }
            let nested = self.nested();
            self.depth -= 1;
            return nested;
        }
        self.comparison()
    }

    fn nested(&mut self) -> Result<Condition, ParseError> {
        if is_keyword(self.peek(), "not") {
            self.at += 1;
            return Ok(Condition::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Token::LParen) {
            self.at += 1;
            let inner = self.expr()?;
            if self.next() != Some(Token::RParen) {
                self.at -= 1;
                return self.fail("')' ontbreekt");
            }
            return Ok(inner);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Condition, ParseError> {
        let question = match self.peek() {
            Some(Token::Ident(id)) if !["and", "or", "not", "in"].iter().any(|k| id.eq_ignore_ascii_case(k)) => {
                id.clone()
            }
            Some(_) => return self.fail("hier wordt een vraagcode verwacht, zoals Q1"),
            None => return self.fail("de voorwaarde houdt op waar een vraagcode verwacht wordt"),
        };
        self.at += 1;
        if is_keyword(self.peek(), "in") {
            self.at += 1;
            if self.next() != Some(Token::LBracket) {
                self.at -= 1;
                return self.fail("na 'in' hoort een lijst tussen [ en ]");
            }
            let mut values = vec![self.value()?];
            loop {
                match self.next() {
                    Some(Token::Comma) => values.push(self.value()?),
                    Some(Token::RBracket) => break,
                    _ => {
                        self.at -= 1;
                        return self.fail("']' of ',' ontbreekt in de lijst");
                    }
                }
            }
            return Ok(Condition::In { question, values });
        }
        let op = match self.next() {
            Some(Token::Op(op)) => op,
            _ => {
                self.at -= 1;
                return self.fail(format!("na {question} hoort een vergelijking: =, !=, <, <=, >, >= of in"));
            }
        };
        let value = self.value()?;
        Ok(Condition::Compare { question, op, value })
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        match self.next() {
            Some(Token::Number(n)) => Ok(Value::Number(n)),
            Some(Token::Ident(w)) | Some(Token::Quoted(w)) => Ok(Value::Word(w)),
            _ => {
                self.at -= 1;
                self.fail("hier wordt een waarde verwacht: een getal of een antwoordcode")
            }
        }
    }
}

/// Parses a `show_if` expression.
pub fn parse(input: &str) -> Result<Condition, ParseError> {
    let tokens = lex(input)?;
    if tokens.is_empty() {
        return Err(ParseError { position: 1, message: "de voorwaarde is leeg".into() });
    }
    let mut parser = Parser { tokens, at: 0, end: input.chars().count(), depth: 0 };
    let condition = parser.expr()?;
    if parser.at < parser.tokens.len() {
        return parser.fail("onverwacht vervolg; combineer voorwaarden met 'and' of 'or'");
    }
    Ok(condition)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(q: &str, op: Op, v: Value) -> Condition {
        Condition::Compare { question: q.into(), op, value: v }
    }

    #[test]
    fn parses_simple_comparisons() {
        assert_eq!(parse("Q1 >= 1"), Ok(cmp("Q1", Op::Ge, Value::Number(1))));
        assert_eq!(parse("Q3 = ja"), Ok(cmp("Q3", Op::Eq, Value::Word("ja".into()))));
        assert_eq!(parse("Q3 == 'weet niet'"), Ok(cmp("Q3", Op::Eq, Value::Word("weet niet".into()))));
        assert_eq!(parse("Q9 != -2"), Ok(cmp("Q9", Op::Ne, Value::Number(-2))));
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let c = parse("Q1 >= 1 or Q3 = ja and not Q10 = nee").unwrap();
        let expected = Condition::Or(vec![
            cmp("Q1", Op::Ge, Value::Number(1)),
            Condition::And(vec![
                cmp("Q3", Op::Eq, Value::Word("ja".into())),
                Condition::Not(Box::new(cmp("Q10", Op::Eq, Value::Word("nee".into())))),
            ]),
        ]);
        assert_eq!(c, expected);
    }

    #[test]
    fn parentheses_and_in_lists() {
        let c = parse("(Q1 > 0 OR Q2 in [positief, zeer_positief]) AND Q3 = ja").unwrap();
        match c {
            Condition::And(parts) => {
                assert!(
                    matches!(&parts[0], Condition::Or(inner) if matches!(&inner[1], Condition::In { values, .. } if values.len() == 2))
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn reports_position_of_errors() {
        let e = parse("Q1 >= ").unwrap_err();
        assert!(e.message.contains("waarde"), "{e}");
        let e = parse("Q1 1").unwrap_err();
        assert_eq!(e.position, 4, "{e}");
        let e = parse("(Q1 = 1").unwrap_err();
        assert!(e.message.contains("')'"), "{e}");
        assert!(parse("").is_err());
        assert!(parse("Q1 = 1 Q2 = 2").unwrap_err().message.contains("and"));
        assert!(parse("Q1 = 'open").unwrap_err().message.contains("afgesloten"));
        assert!(parse("Q1 ! 2").is_err());
        assert!(parse("Q1 = 99999999999999999999").unwrap_err().message.contains("te groot"));
    }

    #[test]
    fn nesting_is_limited_before_it_can_overflow_the_stack() {
        let deep = |n: usize| format!("{}Q1 = 1{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&deep(MAX_NESTING)).is_ok());
        assert!(parse(&format!("{}Q1 = 1", "not ".repeat(MAX_NESTING))).is_ok());
        for hostile in [deep(MAX_NESTING + 1), deep(100_000), format!("{}Q1 = 1", "not (".repeat(100_000))] {
            let e = parse(&hostile).unwrap_err();
            assert!(e.message.contains("te diep genest"), "{e}");
        }
        assert_eq!(parse(&deep(100_000)).unwrap_err().position, MAX_NESTING + 1, "the bracket one too deep");
    }

    #[test]
    fn evaluates_with_short_circuit_semantics() {
        let c = parse("Q1 >= 1 and not Q3 = ja").unwrap();
        let answers = |q: &str, op: Op, v: &Value| match (q, v) {
            ("Q1", Value::Number(n)) => op.holds(3.cmp(n)),
            ("Q3", Value::Word(w)) => op.holds("nee".cmp(w.as_str())),
            _ => false,
        };
        assert!(c.eval(&answers));
        assert_eq!(c.comparisons().len(), 2);
    }
}
