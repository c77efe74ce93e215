use clap::Parser;
#[cfg(feature = "bench")]
use peiling::cli::{BenchAll, BenchCommand};
use peiling::cli::{
    Cli, Command, InviteesCommand, LoginCommand, MailCommand, MembersCommand, ReportCommand, SurveyCommand,
    TokenCommand, UserCommand,
};
use peiling::config::Config;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    peiling::closed_pipe::end_quietly_on_a_closed_pipe();
    let cli = Cli::parse();
    // The demo and the benchmarks make databases of their own; the rest use DATABASE_URL.
    let own_database = match cli.command {
        Command::Demo { .. } | Command::Anonymise { .. } => true,
        #[cfg(feature = "bench")]
        Command::Bench { .. } => true,
        _ => false,
    };
    // Those print what they found; their temporary servers' request lines would bury it.
    peiling::telemetry::init(own_database);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A full disk or a read-only file reads the same whichever command met it: which
            // database, and why, instead of the driver's message.
            let explained = if own_database {
                None
            } else {
                Config::from_env().ok().and_then(|c| peiling::db::explain(&e, &c.database_url))
            };
            eprintln!("peiling: {}", explained.unwrap_or_else(|| format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    match cli.command {
        Command::Demo { dir } => peiling::commands::demo(dir).await,
        Command::Serve { listen, no_worker } => peiling::commands::serve(&config, listen, !no_worker).await,
        Command::User { command } => {
            use peiling::commands::{UserChange, user_change};
            match command {
                UserCommand::Add { email, role, link } => {
                    peiling::commands::user_add(&config, &email, role.into(), link).await
                }
                UserCommand::List => peiling::commands::user_list(&config).await,
                UserCommand::Disable { email } => user_change(&config, &email, UserChange::Disable).await,
                UserCommand::Enable { email } => user_change(&config, &email, UserChange::Enable).await,
                UserCommand::Delete { email, heir } => user_change(&config, &email, UserChange::Delete { heir }).await,
                UserCommand::Role { email, role } => user_change(&config, &email, UserChange::Role(role.into())).await,
                UserCommand::Reset { email } => user_change(&config, &email, UserChange::Reset).await,
            }
        }
        Command::Login { command } => match command {
            LoginCommand::Blocks => peiling::commands::login::blocks(&config).await,
            LoginCommand::Unlock { address, account } => {
                peiling::commands::login::unlock(&config, address.as_deref(), account.as_deref()).await
            }
        },
        Command::Token { command } => match command {
            TokenCommand::Create { email, label, expires } => {
                peiling::commands::token_create(&config, &email, &label, expires.as_deref()).await
            }
            TokenCommand::List { email } => peiling::commands::token_list(&config, email.as_deref()).await,
            TokenCommand::Revoke { id } => peiling::commands::token_revoke(&config, id).await,
        },
        Command::Purge { survey, days } => peiling::commands::purge(&config, survey.as_deref(), days).await,
        Command::Anonymise { eval } => peiling::commands::anonymise(eval.as_deref()),
        Command::Casussen { survey, number, opnemen, niet_opnemen, tekst } => {
            let decision = match (opnemen, niet_opnemen) {
                (true, _) => Some(peiling::review::Decision::Include),
                (_, true) => Some(peiling::review::Decision::Exclude),
                _ => None,
            };
            peiling::commands::casussen(&config, &survey, number, decision, tekst.as_deref()).await
        }
        Command::Migrate => peiling::commands::migrate(&config).await,
        Command::Backup { file } => peiling::commands::backup(&config, &file).await,
        Command::Survey { command } => match command {
            SurveyCommand::Check { file } => peiling::commands::survey_check(&file),
            SurveyCommand::Create { file, owner } => {
                peiling::commands::survey_create(&config, &file, owner.as_deref()).await
            }
            SurveyCommand::Copy { from, code, title, owner } => {
                peiling::commands::survey_copy(&config, &from, &code, &title, owner.as_deref()).await
            }
            SurveyCommand::List => peiling::commands::survey_list(&config).await,
            SurveyCommand::Show { survey } => peiling::commands::survey_show(&config, &survey).await,
            SurveyCommand::Replace { survey, file } => peiling::commands::survey_replace(&config, &survey, &file).await,
            SurveyCommand::Open { survey, closes, send, remind_on } => {
                peiling::commands::survey_open(&config, &survey, closes, send, remind_on).await
            }
            SurveyCommand::Remind { survey, send, on, cancel } => match (on, cancel) {
                (None, false) => peiling::commands::survey_remind(&config, &survey, send).await,
                (on, _) => peiling::commands::survey_schedule_reminder(&config, &survey, on).await,
            },
            SurveyCommand::Close { survey } => peiling::commands::survey_close(&config, &survey).await,
            SurveyCommand::Progress { survey } => peiling::commands::survey_progress(&config, &survey).await,
            SurveyCommand::Members { survey, change } => {
                let change = change.map(|c| match c {
                    MembersCommand::Add { email } => peiling::commands::MemberChange::Add(email),
                    MembersCommand::Remove { email } => peiling::commands::MemberChange::Remove(email),
                });
                peiling::commands::survey_members(&config, &survey, change).await
            }
        },
        Command::Export { survey, format, out } => {
            peiling::commands::export(&config, &survey, format.into(), out.as_deref()).await
        }
        Command::Audit { survey, csv } => peiling::commands::audit(&config, survey.as_deref(), csv).await,
        Command::Figures { survey, report } => peiling::commands::figures(&config, &survey, report.as_deref()).await,
        Command::Report { command: Some(ReportCommand::Check { file, survey }), .. } => {
            peiling::commands::report_check(&config, &file, survey.as_deref()).await
        }
        Command::Report { command: Some(ReportCommand::Set { survey, file }), .. } => {
            peiling::commands::report_set(&config, &survey, &file).await
        }
        Command::Report { command: Some(ReportCommand::Show { survey }), .. } => {
            peiling::commands::report_show(&config, &survey).await
        }
        Command::Report { command: Some(ReportCommand::Reset { survey }), .. } => {
            peiling::commands::report_reset(&config, &survey).await
        }
        Command::Report { command: None, survey: Some(survey), out: Some(out), definition } => {
            peiling::commands::report(&config, &survey, &out, definition.as_deref()).await
        }
        // clap requires both without a subcommand.
        Command::Report { .. } => anyhow::bail!("peiling report SURVEY --out FILE.pdf, of peiling report check FILE"),
        Command::Mail { command: MailCommand::Send } => peiling::commands::mail_send(&config).await,
        Command::Invitees { command: InviteesCommand::Import { survey, file } } => {
            peiling::commands::invitees_import(&config, &survey, &file).await
        }
        #[cfg(feature = "bench")]
        Command::Bench { command, all } => bench(command, all).await,
        Command::Narrative { survey, key, file } => {
            peiling::commands::narrative(&config, &survey, key.as_deref(), file.as_deref()).await
        }
    }
}

/// `peiling bench`, in a binary built with the `bench` feature (the default).
#[cfg(feature = "bench")]
async fn bench(command: Option<BenchCommand>, all: BenchAll) -> anyhow::Result<()> {
    match command {
        None => peiling::bench::all(&all.options()).await,
        Some(BenchCommand::Report { sizes }) => peiling::bench::report(&sizes).await,
        Some(BenchCommand::Mail { invitees }) => peiling::bench::mail(invitees).await,
        Some(BenchCommand::Definition) => peiling::bench::definition(),
        Some(BenchCommand::Submit { seconds, connections, postgres, skip_sqlite }) => {
            peiling::bench::submit(seconds, connections, postgres.as_deref(), skip_sqlite).await
        }
        Some(BenchCommand::ReportOnce { database_url, survey }) => {
            peiling::bench::report_once(&database_url, &survey).await
        }
    }
}
