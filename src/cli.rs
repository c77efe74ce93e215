//! The command line: parsing only; each command calls into the library.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "peiling", version, about = "Surveys of municipal staff, from invitation to the council's PDF report")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole path on synthetic data in a fresh database and print the figures.
    Demo {
        /// Keep the demo database in this folder instead of a temporary one.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Serve the questionnaire to respondents and the API, and send mail in the background.
    Serve {
        /// Address to listen on (default: PEILING_LISTEN or 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
        /// Do not run the background work (mail, scheduled reminders, closing) in this process.
        #[arg(long)]
        no_worker: bool,
    },
    /// Anonymise text from stdin (prints the result), or measure the anonymiser on an annotated set.
    Anonymise {
        /// Print recall per category and over-redaction for this annotated set (TOML).
        #[arg(long, value_name = "FILE")]
        eval: Option<PathBuf>,
    },
    /// Review the casussen of a closed survey: list them, or decide on one.
    Casussen {
        survey: String,
        /// The casus to show or change (1-based, as listed).
        number: Option<usize>,
        /// Include it in the report.
        #[arg(long, requires = "number", conflicts_with = "niet_opnemen")]
        opnemen: bool,
        /// Leave it out of the report.
        #[arg(long, requires = "number")]
        niet_opnemen: bool,
        /// Replace the anonymised text with the contents of this file.
        #[arg(long, requires = "number", value_name = "FILE")]
        tekst: Option<PathBuf>,
    },
    /// Delete personal data (invitee addresses and names, link tokens, original texts) of
    /// closed surveys whose retention period has passed; `peiling serve` does this by itself.
    Purge {
        /// Purge this closed survey now, whatever its closing date.
        survey: Option<String>,
        /// Days after closing (default: PEILING_RETENTION_DAYS or 90).
        #[arg(long, conflicts_with = "survey")]
        days: Option<u32>,
    },
    /// Write a checked copy of the SQLite database to FILE (which must not exist), also while
    /// `peiling serve` runs; for PostgreSQL use pg_dump.
    Backup {
        /// Where the copy goes, e.g. backups/peiling-2026-11-30.db.
        file: PathBuf,
    },
    /// Accounts of researchers and readers.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API tokens for scripts (`Authorization: Bearer ...`).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The login protection: blocked client addresses and locked accounts.
    Login {
        #[command(subcommand)]
        command: LoginCommand,
    },
    /// Bring the database schema up to date (every other command does this too).
    Migrate,
    /// Questionnaire definitions and stored surveys.
    Survey {
        #[command(subcommand)]
        command: SurveyCommand,
    },
    /// Write the PDF report of a stored survey; check, set, show or reset its report definition.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Report {
        #[command(subcommand)]
        command: Option<ReportCommand>,
        /// The survey's code, e.g. maatwerkbudget-2021.
        #[arg(required = true)]
        survey: Option<String>,
        /// Where to write the PDF.
        #[arg(long, required = true)]
        out: Option<PathBuf>,
        /// A report definition to use this once; by default the survey's own (`report set`),
        /// the bundled one, or a plain one made from the questionnaire.
        #[arg(long)]
        definition: Option<PathBuf>,
    },
    /// Show the narrative texts of a survey's report, or set one (from --file, or stdin).
    Narrative {
        survey: String,
        /// e.g. open:Q8, figure:Q2 or section:3; without it, every text is listed.
        key: Option<String>,
        /// Read the text from this file ("-" for stdin); an empty text removes it.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Performance figures on this machine: without a subcommand every figure, as one Markdown table.
    #[cfg(feature = "bench")]
    #[command(args_conflicts_with_subcommands = true)]
    Bench {
        #[command(subcommand)]
        command: Option<BenchCommand>,
        #[command(flatten)]
        all: BenchAll,
    },
    /// The mail outbox.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Invitee lists.
    Invitees {
        #[command(subcommand)]
        command: InviteesCommand,
    },
    /// Export a closed survey's responses: CSV (Dutch Excel), XLSX with a code book, or SPSS syntax.
    Export {
        /// The survey's code, e.g. maatwerkbudget-2021.
        survey: String,
        /// csv, xlsx, or spss (the .sps reads the CSV next to it, which is written too if missing).
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Where to write it; by default <survey>.csv, .xlsx, .sps or .R in the current folder.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The audit trail (who did what, and when), newest first: one survey's or all of it.
    Audit {
        /// Only this survey's trail.
        #[arg(long)]
        survey: Option<String>,
        /// Print CSV (semicolons, as the pages' download) instead of a table.
        #[arg(long)]
        csv: bool,
    },
    /// Print the figures of a stored survey as a table.
    Figures {
        /// The survey's code, e.g. maatwerkbudget-2021.
        survey: String,
        /// A report definition to use this once; by default the survey's own (`report set`).
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Check a report definition against its questionnaire and list every problem with its line.
    Check {
        file: PathBuf,
        /// The questionnaire (a stored survey or a bundled one); by default the one the
        /// definition names with `survey`.
        #[arg(long)]
        survey: Option<String>,
    },
    /// Check a report definition and store it with the survey; its reports are made of it from
    /// then on, by every command, page and API call.
    Set { survey: String, file: PathBuf },
    /// Print the survey's report definition (its own, the bundled one, or the plain one).
    Show { survey: String },
    /// Remove the survey's own report definition: the bundled or the plain one applies again.
    Reset { survey: String },
}

#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Check a definition file and list every problem with its line.
    Check { file: PathBuf },
    /// Store a definition as a new draft survey.
    Create {
        file: PathBuf,
        /// The researcher who owns the survey and decides who else may work on it. Without it,
        /// only admins see the survey until one adds members.
        #[arg(long)]
        owner: Option<String>,
    },
    /// Make a new wave of a stored survey: a draft with the same questionnaire (comments
    /// included) and report definition under a new code and title, without invitees or answers.
    Copy {
        /// The earlier survey's code, e.g. maatwerkbudget-2021.
        from: String,
        /// The new survey's code, e.g. maatwerkbudget-2025.
        code: String,
        /// The new survey's title.
        #[arg(long)]
        title: String,
        /// The researcher who owns the copy. Without it, only admins see it until one adds members.
        #[arg(long)]
        owner: Option<String>,
    },
    /// List the stored surveys.
    List,
    /// Print a survey's questionnaire definition, as `replace` takes it back.
    Show { survey: String },
    /// Replace the questionnaire of a draft with a changed definition (same code; checked first).
    Replace { survey: String, file: PathBuf },
    /// Open a draft: freeze the questionnaire and queue an invitation for every invitee.
    Open {
        survey: String,
        /// The last day on which answers are accepted (YYYY-MM-DD); the survey closes at its end.
        #[arg(long)]
        closes: chrono::NaiveDate,
        /// Send the queued messages right away (otherwise `peiling mail send` or `peiling serve`).
        #[arg(long)]
        send: bool,
        /// Also schedule a reminder on this day (YYYY-MM-DD, 08:00 UTC), sent by `peiling serve`.
        #[arg(long)]
        remind_on: Option<chrono::NaiveDate>,
    },
    /// Queue a reminder for every invitee who has not answered yet, or schedule one.
    Remind {
        survey: String,
        #[arg(long)]
        send: bool,
        /// Schedule the reminder for this day (08:00 UTC) instead of queueing it now.
        #[arg(long, conflicts_with_all = ["send", "cancel"])]
        on: Option<chrono::NaiveDate>,
        /// Cancel the scheduled reminder.
        #[arg(long, conflicts_with = "send")]
        cancel: bool,
    },
    /// Close an open survey: links then say it is closed.
    Close { survey: String },
    /// Response per group and the mailing's status.
    Progress { survey: String },
    /// List the researchers who work on a survey, or add or remove one.
    Members {
        survey: String,
        #[command(subcommand)]
        change: Option<MembersCommand>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// Add the researcher with this address (they need an account).
    Add { email: String },
    /// Remove this member; the owner stays.
    Remove { email: String },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password comes from PEILING_PASSWORD or, without it, from stdin;
    /// with --link the new user sets it through a one-time link instead.
    Add {
        email: String,
        #[arg(long, value_enum, default_value = "researcher")]
        role: RoleArg,
        /// Print a one-time link (PEILING_BASE_URL/wachtwoord/...) to set the password.
        #[arg(long)]
        link: bool,
    },
    /// List the accounts with their role and state.
    List,
    /// Disable an account: it cannot sign in, its sessions end, its API tokens stop.
    Disable { email: String },
    /// Enable a disabled account again.
    Enable { email: String },
    /// Delete an account; the audit trail keeps what it did.
    Delete {
        email: String,
        /// Who takes over the surveys the account owns (needed if it owns any).
        #[arg(long, value_name = "EMAIL")]
        heir: Option<String>,
    },
    /// Give an account another role.
    Role {
        email: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Print a one-time link (24 hours) for the account to set a new password.
    Reset { email: String },
}

/// admin (accounts and every survey), researcher (their own surveys) or reader (published
/// reports only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    Admin,
    Researcher,
    Reader,
}

impl From<RoleArg> for crate::accounts::Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => crate::accounts::Role::Admin,
            RoleArg::Researcher => crate::accounts::Role::Researcher,
            RoleArg::Reader => crate::accounts::Role::Reader,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum LoginCommand {
    /// List the client addresses that are blocked and the accounts that are locked now.
    Blocks,
    /// Lift the block of a client address, or every lock of an account (recorded in the audit trail).
    #[command(group(clap::ArgGroup::new("what").required(true).args(["address", "account"])))]
    Unlock {
        /// The client address (an IP address, or an IPv6 network as listed).
        #[arg(long, value_name = "IP")]
        address: Option<String>,
        /// The account's email address.
        #[arg(long, value_name = "EMAIL")]
        account: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for an account and print it (it is shown only this once).
    Create {
        email: String,
        /// What the token is for, e.g. the script that uses it.
        #[arg(long, default_value = "api")]
        label: String,
        /// Stop working after this many days, or after this date (YYYY-MM-DD); without it,
        /// until revoked.
        #[arg(long, value_name = "DAYS|DATE")]
        expires: Option<String>,
    },
    /// List the tokens of an account, or of every account (never their secrets).
    List { email: Option<String> },
    /// Revoke a token by its number (printed when it was created, and by `token list`).
    Revoke { id: i32 },
}

/// Options of `peiling bench` without a subcommand. Build with --release for figures worth keeping.
#[cfg(feature = "bench")]
#[derive(Debug, clap::Args)]
pub struct BenchAll {
    /// Small sizes and 3 s per wrk run: checks that every part runs; the figures are not comparable.
    #[arg(long)]
    pub quick: bool,
    /// Numbers of responses for the report figures [default: 54,10000,100000,1000000; --quick: 54,1000].
    #[arg(long, value_delimiter = ',')]
    pub sizes: Option<Vec<usize>>,
    /// Invitees for the mail figures [default: 10000; --quick: 500].
    #[arg(long)]
    pub invitees: Option<usize>,
    /// Seconds per wrk run [default: 10; --quick: 3].
    #[arg(long)]
    pub seconds: Option<u64>,
    /// wrk's keep-alive connections.
    #[arg(long, default_value_t = 32)]
    pub connections: usize,
    /// PostgreSQL for the submission figures; by default postgres://postgres@127.0.0.1:5432/test,
    /// skipped when it does not answer. The server gets a scratch database for the run.
    #[arg(long, conflicts_with = "no_postgres")]
    pub postgres: Option<String>,
    /// Leave PostgreSQL out.
    #[arg(long)]
    pub no_postgres: bool,
    /// Also write the table into this file (README.md), between <!-- bench:begin --> and <!-- bench:end -->.
    #[arg(long, value_name = "FILE")]
    pub readme: Option<PathBuf>,
}

#[cfg(feature = "bench")]
impl BenchAll {
    pub fn options(self) -> crate::bench::Options {
        use crate::bench::{Options, Postgres};
        let postgres = match (self.postgres, self.no_postgres) {
            (_, true) => Postgres::Off,
            (Some(url), _) => Postgres::Url(url),
            (None, false) => Postgres::TryDefault,
        };
        let sizes = if self.quick { Options::QUICK_SIZES.to_vec() } else { Options::SIZES.to_vec() };
        Options {
            quick: self.quick,
            sizes: self.sizes.unwrap_or(sizes),
            invitees: self.invitees.unwrap_or(if self.quick { 500 } else { 10_000 }),
            seconds: self.seconds.unwrap_or(if self.quick { 3 } else { 10 }),
            connections: self.connections,
            postgres,
            readme: self.readme,
        }
    }
}

#[cfg(feature = "bench")]
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Report generation time and peak memory for several numbers of responses (SQLite).
    Report {
        #[arg(long, value_delimiter = ',', default_values_t = vec![54, 10_000, 100_000])]
        sizes: Vec<usize>,
    },
    /// Validating a questionnaire definition at the limits, and parsing one ten times larger.
    Definition,
    /// Queueing and sending invitations to a loopback SMTP server (SQLite).
    Mail {
        #[arg(long, default_value_t = 10_000)]
        invitees: usize,
    },
    /// Form submissions per second over HTTP (wrk against `peiling serve`), SQLite and
    /// optionally PostgreSQL. Build with --release for meaningful figures.
    Submit {
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 32)]
        connections: usize,
        /// A PostgreSQL URL whose server may get a scratch database for the run.
        #[arg(long)]
        postgres: Option<String>,
        /// Only measure PostgreSQL.
        #[arg(long, requires = "postgres")]
        skip_sqlite: bool,
    },
    /// One report run on an existing database (used by `bench report`).
    #[command(hide = true)]
    ReportOnce {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        survey: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum InviteesCommand {
    /// Import a CSV file (email;team[;naam], UTF-8, as Excel's "CSV UTF-8"): all rows or none.
    Import { survey: String, file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Send every message that is due, with a progress bar (safe to run in several processes).
    Send,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Spss,
    /// An R script that reads the CSV (base R).
    R,
}

impl From<ExportFormat> for crate::export::Format {
    fn from(format: ExportFormat) -> Self {
        match format {
            ExportFormat::Csv => crate::export::Format::Csv,
            ExportFormat::Xlsx => crate::export::Format::Xlsx,
            ExportFormat::Spss => crate::export::Format::Spss,
            ExportFormat::R => crate::export::Format::R,
        }
    }
}
