//! Random valid definitions, spelled the many ways a person may write them (plain labels and
//! tables, defaults written out, "weet niet" as a key or an option, texts with quotes,
//! backslashes, line breaks and emoji), come back from `to_toml` with the same meaning.
use super::round_trip;
use crate::questionnaire::model::slug;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use std::fmt::Write as _;

/// A TOML basic string, escaped here rather than by the writer under test.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const PIECES: &[&str] = &[
    "ja", " ", "\"", "'", "''", "'''", "\"\"\"", "\\", "\\n", "\n", "\r\n", "\r", "\t", "ë", "é", "😀", "#", "{", "[",
    "=", ",", "a b",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(select(PIECES), 0..5).prop_map(|pieces| pieces.concat())
}

#[derive(Debug, Clone)]
struct Opt {
    tail: String,
    code: bool,
    table: bool,
    other: bool,
    exclusive: bool,
    dont_know: bool,
    in_base: bool,
}

fn opt() -> impl Strategy<Value = Opt> {
    (text(), any::<[bool; 6]>()).prop_map(|(tail, [code, table, other, exclusive, dont_know, in_base])| Opt {
        tail,
        code,
        table,
        other,
        exclusive,
        dont_know,
        in_base,
    })
}

impl Opt {
    fn label(&self, prefix: &str, i: usize) -> String {
        format!("{prefix}{i}x{}", self.tail)
    }

    fn code(&self, prefix: &str, i: usize) -> String {
        if self.code { format!("{}{i}", &prefix[..1].to_lowercase()) } else { slug(&self.label(prefix, i)) }
    }

    /// As an option or a point; `beside` for an answer beside a scale's points or numbers.
    fn render(&self, prefix: &str, i: usize, beside: Option<&str>) -> String {
        let flags = self.other || self.exclusive || self.dont_know;
        if !self.table && !self.code && !flags && beside.is_none() {
            return quoted(&self.label(prefix, i));
        }
        let mut t = String::from("{ ");
        if self.code {
            let _ = write!(t, "code = {}, ", quoted(&self.code(prefix, i)));
        }
        let _ = write!(t, "label = {}", quoted(&self.label(prefix, i)));
        match beside {
            Some(marker) => {
                let _ = write!(t, "{marker}, in_base = {}", self.in_base);
            }
            None => {
                for (key, set) in [("other", self.other), ("exclusive", self.exclusive), ("dont_know", self.dont_know)]
                {
                    if set {
                        let _ = write!(t, ", {key} = true");
                    }
                }
            }
        }
        t + " }"
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Single {
        options: Vec<Opt>,
        dont_know: Option<String>,
    },
    Multiple {
        options: Vec<Opt>,
        dont_know: Option<String>,
        min: Option<Index>,
        max: Option<Index>,
    },
    YesNo {
        dont_know: Option<String>,
    },
    Points {
        points: Vec<Opt>,
        beside: Vec<Opt>,
        dont_know: Option<String>,
    },
    Rating {
        from: i64,
        width: i64,
        labels: [Option<String>; 2],
        beside: Vec<Opt>,
        explicit: bool,
        dont_know: Option<String>,
    },
    Number {
        min: Option<i64>,
        max: Option<i64>,
        unit: Option<String>,
        opt_out: Option<(Opt, Option<i64>)>,
    },
    Text {
        long: bool,
        max_length: Option<usize>,
    },
}

fn kind() -> impl Strategy<Value = Kind> {
    let options = || prop::collection::vec(opt(), 1..5);
    let dont_know = || prop::option::of(text());
    prop_oneof![
        (options(), dont_know()).prop_map(|(options, dont_know)| Kind::Single { options, dont_know }),
        (options(), dont_know(), any::<Option<Index>>(), any::<Option<Index>>())
            .prop_map(|(options, dont_know, min, max)| Kind::Multiple { options, dont_know, min, max }),
        dont_know().prop_map(|dont_know| Kind::YesNo { dont_know }),
        (prop::collection::vec(opt(), 2..6), prop::collection::vec(opt(), 0..3), dont_know())
            .prop_map(|(points, beside, dont_know)| Kind::Points { points, beside, dont_know }),
        (
            -5i64..5,
            1i64..11,
            any::<[Option<String>; 2]>(),
            prop::collection::vec(opt(), 0..3),
            any::<bool>(),
            dont_know()
        )
            .prop_map(|(from, width, labels, beside, explicit, dont_know)| Kind::Rating {
                from,
                width,
                labels,
                beside,
                explicit,
                dont_know
            }),
        (
            prop::option::of(-50i64..50),
            prop::option::of(50i64..2000),
            prop::option::of(text()),
            prop::option::of((opt(), prop::option::of(-3i64..3)))
        )
            .prop_map(|(min, max, unit, opt_out)| Kind::Number { min, max, unit, opt_out }),
        (any::<bool>(), prop::option::of(1usize..20_000))
            .prop_map(|(long, max_length)| Kind::Text { long, max_length }),
    ]
}

#[derive(Debug, Clone)]
struct Spec {
    kind: Kind,
    help: Option<String>,
    page: Option<&'static str>,
    required: Option<bool>,
    spelling: usize,
    /// Up to two earlier questions to route on, how to join them, and whether to negate.
    routing: Option<(Index, Index, &'static str, bool)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let routing =
        prop::option::of((any::<Index>(), any::<Index>(), select(&[" and ", " or ", " OR "][..]), any::<bool>()));
    let page = prop::option::of(select(&["Deel A", "Deel B", "  ", "Deel ë"][..]));
    (kind(), prop::option::of(text()), page, any::<Option<bool>>(), 0usize..3, routing).prop_map(
        |(kind, help, page, required, spelling, routing)| Spec { kind, help, page, required, spelling, routing },
    )
}

impl Spec {
    fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Single { .. } => "single",
            Kind::Multiple { .. } => "multiple",
            Kind::YesNo { .. } => "yesno",
            Kind::Points { .. } | Kind::Rating { .. } => "scale",
            Kind::Number { .. } => "number",
            Kind::Text { long, .. } => ["text", "longtext"][usize::from(*long)],
        }
    }

    /// A comparison on this question that some answer meets, if it can be routed on.
    fn comparison(&self, id: &str) -> Option<String> {
        match &self.kind {
            Kind::YesNo { .. } => Some(format!("{id} in [ja, nee]")),
            Kind::Single { options, .. } | Kind::Multiple { options, .. } => {
                Some(format!("{id} = {}", options[0].code("Optie", 0)))
            }
            Kind::Points { points, .. } => Some(format!("{id} != {}", points[0].code("Punt", 0))),
            Kind::Rating { from, .. } => Some(format!("{id} >= {from}")),
            Kind::Number { min, .. } => Some(format!("{id} >= {}", min.unwrap_or(0))),
            Kind::Text { .. } => None,
        }
    }

    fn render(&self, n: usize, earlier: &[Spec]) -> String {
        let ty = self.type_name();
        let ty = [ty.to_string(), ty.to_uppercase(), format!(" {ty} ")][self.spelling].clone();
        let mut s =
            format!("[[questions]]\nid = \"Q{n}\"\ntype = {}\ntext = {}\n", quoted(&ty), quoted(&format!("Vraag{n} ")));
        let mut line = |key: &str, value: Option<String>| {
            if let Some(value) = value {
                let _ = writeln!(s, "{key} = {value}");
            }
        };
        line("help", self.help.as_deref().map(quoted));
        line("page", self.page.map(quoted));
        line("required", self.required.map(|r| r.to_string()));
        line("show_if", self.condition(earlier).map(|c| quoted(&c)));
        let list = |items: &[Opt], prefix: &str, beside: Option<&str>| {
            let items: Vec<String> = items.iter().enumerate().map(|(i, o)| o.render(prefix, i, beside)).collect();
            Some(format!("[{}]", items.join(", ")))
        };
        let dont_know = |label: &Option<String>| label.as_ref().map(|l| quoted(&format!("Weet niet{l}")));
        match &self.kind {
            Kind::Single { options, dont_know: dk } => {
                line("options", list(options, "Optie", None));
                line("dont_know", dont_know(dk));
            }
            Kind::Multiple { options, dont_know: dk, min, max } => {
                line("options", list(options, "Optie", None));
                line("dont_know", dont_know(dk));
                let choosable = options.iter().filter(|o| !o.exclusive && !o.dont_know).count();
                let min = min.filter(|_| choosable > 0).map(|m| 1 + m.index(choosable));
                line("min_choices", min.map(|m| m.to_string()));
                line("max_choices", max.map(|m| (min.unwrap_or(1) + m.index(5)).to_string()));
            }
            Kind::YesNo { dont_know: dk } => line("dont_know", dont_know(dk)),
            Kind::Points { points, beside, dont_know: dk } => {
                // Two real points at least: "weet niet" is none.
                let points =
                    points.iter().enumerate().map(|(i, p)| Opt { dont_know: p.dont_know && i > 1, ..p.clone() });
                let mut all: Vec<String> = points.enumerate().map(|(i, p)| p.render("Punt", i, None)).collect();
                all.extend(beside.iter().enumerate().map(|(i, o)| o.render("Naast", i, Some(", off_scale = true"))));
                line("points", Some(format!("[{}]", all.join(", "))));
                line("dont_know", dont_know(dk));
            }
            Kind::Rating { from, width, labels: [low, high], beside, explicit, dont_know: dk } => {
                line("from", Some(from.to_string()));
                line("to", Some((from + width).to_string()));
                line("low_label", low.as_deref().map(quoted));
                line("high_label", high.as_deref().map(quoted));
                line("dont_know", dont_know(dk));
                if !beside.is_empty() {
                    line("off_scale", list(beside, "Naast", Some(if *explicit { ", off_scale = true" } else { "" })));
                }
            }
            Kind::Number { min, max, unit, opt_out } => {
                line("min", min.map(|m| m.to_string()));
                line("max", max.map(|m| m.to_string()));
                line("unit", unit.as_deref().map(quoted));
                line(
                    "opt_out",
                    opt_out.as_ref().map(|(o, value)| {
                        let code = if o.code { format!("code = \"nooit_{}\", ", o.tail.len()) } else { String::new() };
                        let value = value.map(|v| format!(", value = {v}")).unwrap_or_default();
                        format!("{{ {code}label = {}{value} }}", quoted(&format!("Nooit{}", o.tail)))
                    }),
                );
            }
            Kind::Text { max_length, .. } => line("max_length", max_length.map(|m| m.to_string())),
        }
        s
    }

    /// One or two comparisons on earlier questions, joined and perhaps negated.
    fn condition(&self, earlier: &[Spec]) -> Option<String> {
        let (a, b, join, not) = self.routing.as_ref().filter(|_| !earlier.is_empty())?;
        let targets = [a.index(earlier.len()), b.index(earlier.len())];
        let parts: Vec<String> = targets.into_iter().filter_map(|k| earlier[k].comparison(&format!("Q{k}"))).collect();
        let condition = Some(parts.join(join)).filter(|c| !c.is_empty())?;
        Some(if *not { format!("not ({condition})") } else { condition })
    }
}

#[derive(Debug, Clone)]
struct Header {
    title: String,
    texts: [Option<String>; 3],
    contact: Option<bool>,
    minutes: Option<u32>,
    groups: Vec<String>,
}

fn header() -> impl Strategy<Value = Header> {
    (
        text(),
        any::<[Option<String>; 3]>(),
        any::<Option<bool>>(),
        prop::option::of(0u32..100),
        prop::collection::vec(text(), 1..4),
    )
        .prop_map(|(title, texts, contact, minutes, groups)| Header { title, texts, contact, minutes, groups })
}

fn definition(h: &Header, questions: &[Spec]) -> String {
    let mut s = format!("id = \"proef-1\"\ntitle = {}\n", quoted(&format!("Titel {}", h.title)));
    for (key, value) in ["intro", "thanks", "organisation"].into_iter().zip(&h.texts) {
        if let Some(value) = value {
            let _ = writeln!(s, "{key} = {}", quoted(value));
        }
    }
    if let Some(padded) = h.contact {
        let _ = writeln!(s, "contact = \"{}\"", if padded { " a@example.org " } else { "a@example.org" });
    }
    if let Some(minutes) = h.minutes {
        let _ = writeln!(s, "minutes = {minutes}");
    }
    for (i, name) in h.groups.iter().enumerate() {
        let _ = writeln!(s, "\n[[groups]]\ncode = \"G{i}\"\nname = {}", quoted(&format!(" Team{i}x{name} ")));
    }
    for (n, q) in questions.iter().enumerate() {
        s.push('\n');
        s.push_str(&q.render(n, &questions[..n]));
    }
    s
}

/// 64 cases keep the test well under a second; `PROPTEST_CASES=N` hunts longer.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_definitions_come_back_unchanged(h in header(), questions in prop::collection::vec(spec(), 1..8)) {
        round_trip(&definition(&h, &questions));
    }
}
