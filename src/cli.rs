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
    /// Bring the database schema up to date (every other command does this too).
    Migrate,
    /// Questionnaire definitions and stored surveys.
    Survey {
        #[command(subcommand)]
        command: SurveyCommand,
    },
    /// Print the figures of a stored survey as a table.
    Figures {
        /// The survey's code, e.g. maatwerkbudget-2021.
        survey: String,
        /// The report definition; by default the bundled one or reports/<code>.toml.
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Check a definition file and list every problem with its line.
    Check { file: PathBuf },
    /// Store a definition as a new draft survey.
    Create { file: PathBuf },
    /// List the stored surveys.
    List,
}
