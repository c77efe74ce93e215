//! `peiling user ...` and `peiling token ...`: the command line may do what an admin may
//! (`Acting::CommandLine`); the rules themselves are in `accounts`.

use crate::accounts::{self, Acting, Role};
use crate::config::Config;
use crate::domain::EmailAddress;
use anyhow::{Context, bail};

fn address(email: &str) -> anyhow::Result<EmailAddress> {
    EmailAddress::parse(email.trim()).map_err(|e| anyhow::anyhow!("{email}: {e}"))
}

fn link(config: &Config, token: &crate::domain::Token) -> String {
    format!("{}{}", config.base_url.trim_end_matches('/'), accounts::link_path(token))
}

/// `peiling user add`: with a password from PEILING_PASSWORD or stdin, or with `--link` a
/// one-time link for the new user to choose it.
pub async fn user_add(config: &Config, email: &str, role: Role, with_link: bool) -> anyhow::Result<()> {
    let email = address(email)?;
    let password = if with_link {
        None
    } else {
        Some(match std::env::var("PEILING_PASSWORD") {
            Ok(p) => p,
            Err(_) => {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).context("could not read the password from stdin")?;
                line.trim_end_matches(['\r', '\n']).to_string()
            }
        })
    };
    let db = crate::integrity::open(&config.database_url).await?;
    let now = chrono::Utc::now();
    let (user, token) =
        accounts::create_account(&db, Acting::CommandLine, &email, password.as_deref(), role, now).await?;
    println!("account {} aangemaakt ({})", user.email, role.as_str());
    if let Some(token) = token {
        eprintln!("link om het wachtwoord in te stellen (eenmalig, {} uur geldig):", accounts::RESET_HOURS);
        println!("{}", link(config, &token));
    }
    Ok(())
}

/// `peiling user list`.
pub async fn user_list(config: &Config) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let now = chrono::Utc::now();
    for a in accounts::list_accounts(&db).await? {
        let state = match (a.disabled_at, a.locked_until) {
            (Some(at), _) => format!("uitgeschakeld sinds {}", at.date_naive()),
            (None, Some(until)) if until > now => format!("geblokkeerd tot {}", until.format("%Y-%m-%d %H:%M UTC")),
            _ => "actief".to_string(),
        };
        let owns = if a.owns.is_empty() { String::new() } else { format!("  eigenaar van {}", a.owns.join(", ")) };
        println!("{:<40} {:<10} {state}{owns}", a.email, a.role.as_str());
    }
    Ok(())
}

/// What `peiling user` changes about an account.
pub enum Change {
    Disable,
    Enable,
    Delete { heir: Option<String> },
    Role(Role),
    Reset,
}

pub async fn user_change(config: &Config, email: &str, change: Change) -> anyhow::Result<()> {
    let email = address(email)?;
    let db = crate::integrity::open(&config.database_url).await?;
    let now = chrono::Utc::now();
    let who = Acting::CommandLine;
    match change {
        Change::Disable => {
            accounts::disable(&db, who, &email, now).await?;
            println!(
                "account {email} uitgeschakeld; zijn sessies zijn beëindigd en zijn API-sleutels werken niet meer"
            );
        }
        Change::Enable => {
            accounts::enable(&db, who, &email, now).await?;
            println!("account {email} ingeschakeld");
        }
        Change::Delete { heir } => {
            let heir = heir.as_deref().map(address).transpose()?;
            accounts::delete(&db, who, &email, heir.as_ref(), now).await?;
            println!("account {email} verwijderd; het logboek houdt wat het deed");
        }
        Change::Role(role) => {
            accounts::set_role(&db, who, &email, role, now).await?;
            println!("{email} is nu {}", role.as_str());
        }
        Change::Reset => {
            let token = accounts::issue_reset(&db, who, &email, now).await?;
            eprintln!(
                "link om een nieuw wachtwoord in te stellen voor {email} (eenmalig, {} uur geldig):",
                accounts::RESET_HOURS
            );
            println!("{}", link(config, &token));
        }
    }
    Ok(())
}

/// `peiling token create EMAIL [--label TEXT] [--expires DAYS|DATE]`.
pub async fn token_create(config: &Config, email: &str, label: &str, expires: Option<&str>) -> anyhow::Result<()> {
    let email = address(email)?;
    let now = chrono::Utc::now();
    let expires = expires.map(|text| accounts::parse_expiry(text, now)).transpose()?;
    let db = crate::integrity::open(&config.database_url).await?;
    let (row, token) = accounts::create_token(&db, Acting::CommandLine, &email, label, expires, now).await?;
    let until = expires.map_or(String::new(), |at| format!(", geldig tot {}", at.format("%Y-%m-%d %H:%M UTC")));
    eprintln!("API-sleutel {} voor {}{until} (bewaar hem nu: hij wordt niet opnieuw getoond):", row.id, email.as_str());
    println!("{}", token.as_str());
    Ok(())
}

/// `peiling token list [EMAIL]`: number, account, label, dates and state; never the secret.
pub async fn token_list(config: &Config, email: Option<&str>) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let now = chrono::Utc::now();
    let emails = match email {
        Some(email) => vec![address(email)?],
        None => accounts::list_accounts(&db).await?.iter().filter_map(|a| EmailAddress::parse(&a.email).ok()).collect(),
    };
    let day = |at: Option<chrono::DateTime<chrono::Utc>>| at.map_or("-".to_string(), |at| at.date_naive().to_string());
    println!(
        "{:>5}  {:<32} {:<20} {:<10} {:<10} {:<10} staat",
        "nr", "account", "label", "gemaakt", "vervalt", "ingetrokken"
    );
    for email in emails {
        for t in accounts::list_tokens(&db, Acting::CommandLine, &email, now).await? {
            let state = t.state();
            println!(
                "{:>5}  {:<32} {:<20} {:<10} {:<10} {:<10} {state}",
                t.id,
                email.as_str(),
                t.label,
                t.created_at.date_naive(),
                day(t.expires_at),
                day(t.revoked_at),
            );
        }
    }
    Ok(())
}

pub async fn token_revoke(config: &Config, id: i32) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    if accounts::revoke_token(&db, Acting::CommandLine, id, chrono::Utc::now()).await? {
        println!("API-sleutel {id} ingetrokken");
        Ok(())
    } else {
        bail!("API-sleutel {id} was al ingetrokken")
    }
}
