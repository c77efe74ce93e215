//! `peiling login blocks` and `peiling login unlock`: the login protection from the command line.

use crate::accounts::{self, Unlock};
use crate::audit::Actor;
use crate::config::Config;
use crate::domain::{ClientAddress, EmailAddress};
use anyhow::bail;
use chrono::{DateTime, Utc};

fn at(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

pub async fn blocks(config: &Config) -> anyhow::Result<()> {
    let db = crate::integrity::open(&config.database_url).await?;
    let blocks = accounts::blocks(&db, Utc::now()).await?;
    if blocks.addresses.is_empty() && blocks.accounts.is_empty() {
        println!("er is geen adres geblokkeerd en geen account op slot");
    }
    for b in &blocks.addresses {
        println!("adres   {:<40} tot {}  ({} mislukte pogingen)", b.address, at(b.until), b.failures);
    }
    for l in &blocks.accounts {
        let from = l
            .address
            .as_deref()
            .map_or("alle adressen waar het niet eerder van inlogde".to_string(), |a| format!("adres {a}"));
        println!("account {:<40} tot {}  (voor {from})", l.account, at(l.until));
    }
    Ok(())
}

pub async fn unlock(config: &Config, address: Option<&str>, account: Option<&str>) -> anyhow::Result<()> {
    let what = match (address, account) {
        (Some(a), None) => Unlock::Address(ClientAddress::parse(a)?),
        (None, Some(e)) => Unlock::Account(EmailAddress::parse(e)?),
        _ => bail!("geef --address of --account op, niet allebei"),
    };
    let db = crate::integrity::open(&config.database_url).await?;
    match accounts::unlock(&db, &Actor::CommandLine, &what, Utc::now()).await? {
        0 => println!("voor {} gold geen blokkade", what.describe()),
        _ => println!("blokkade van {} opgeheven", what.describe()),
    }
    Ok(())
}
