//! Definitions shipped inside the binary, so `peiling demo` works from any folder.

pub struct Bundled {
    pub id: &'static str,
    pub definition: &'static str,
    pub report: &'static str,
    pub demo_plan: &'static str,
}

pub const MAATWERKBUDGET_2021: Bundled = Bundled {
    id: "maatwerkbudget-2021",
    definition: include_str!("../surveys/maatwerkbudget-2021.toml"),
    report: include_str!("../reports/maatwerkbudget-2021.toml"),
    demo_plan: include_str!("../surveys/maatwerkbudget-2021.demo.toml"),
};

pub const ALL: &[Bundled] = &[MAATWERKBUDGET_2021];

pub fn find(id: &str) -> Option<&'static Bundled> {
    ALL.iter().find(|b| b.id == id)
}

/// The report definition for a survey: the given file, an edited copy in `reports/<code>.toml`,
/// or the one built into the binary.
pub fn report_source(slug: &str, file: Option<&std::path::Path>) -> anyhow::Result<String> {
    use anyhow::Context;
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path)
            .with_context(|| format!("could not read the report definition {}", path.display()))
    };
    let local = std::path::PathBuf::from("reports").join(format!("{slug}.toml"));
    match (file, find(slug)) {
        (Some(file), _) => read(file),
        (None, _) if local.exists() => read(&local),
        (None, Some(b)) => Ok(b.report.to_string()),
        (None, None) => read(&local),
    }
}
