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
