//! `astudio auth login | status | logout`. These run before a client is
//! built: login has no saved key yet, and status reports where one is.

use std::io::IsTerminal;

use artificial_studio::ClientBuilder;
use serde_json::json;

use crate::args::{AuthCommand, GlobalArgs};
use crate::auth::{self, Profile, Profiles, SecretStore};
use crate::jq::Jq;
use crate::render::{key_values, out, print_json};
use crate::report::Failure;

/// Runs an `auth` command.
pub async fn auth(
    cmd: AuthCommand,
    global: &GlobalArgs,
    key_from_command_line: bool,
    jq: Option<&Jq>,
) -> Result<(), Failure> {
    let name = auth::profile_name(global.profile.as_deref());
    match cmd {
        AuthCommand::Login { with_key } => login(&name, with_key, global, jq).await,
        AuthCommand::Status => status(global, key_from_command_line, jq).await,
        AuthCommand::Logout => logout(&name, global, jq),
    }
}

fn client(key: &str, base_url: Option<&str>) -> Result<artificial_studio::Client, Failure> {
    let mut builder = ClientBuilder::new()
        .api_key(key)
        .user_agent(concat!("astudio/", env!("CARGO_PKG_VERSION")));
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    Ok(builder.build()?)
}

async fn login(
    name: &str,
    with_key: bool,
    global: &GlobalArgs,
    jq: Option<&Jq>,
) -> Result<(), Failure> {
    let key = if with_key {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| Failure::Local(format!("cannot read the key from stdin: {e}")))?
    } else if std::io::stdin().is_terminal() {
        rpassword::prompt_password("API key: ")
            .map_err(|e| Failure::Local(format!("cannot read the key: {e}")))?
    } else {
        return Err(Failure::Usage(
            "no terminal to ask for the key on".into(),
            Some("pipe it in with: astudio auth login --with-key".into()),
        ));
    };
    let key = key.trim().to_string();
    if key.is_empty() {
        return Err(Failure::Usage("the key is empty".into(), None));
    }
    let mut profiles = Profiles::load()?;
    let base_url = global
        .base_url
        .clone()
        .or_else(|| profiles.profiles.get(name).and_then(|p| p.base_url.clone()));
    let account = client(&key, base_url.as_deref())?.account().await?;
    let key_store = SecretStore::save(name, &key)?;
    profiles.profiles.insert(
        name.to_string(),
        Profile {
            base_url: base_url.clone(),
            key_store,
        },
    );
    profiles.save()?;
    if global.json {
        return print_json(
            &json!({
                "profile": name,
                "email": account.email,
                "plan": account.plan,
                "key": auth::mask(&key),
                "keyStore": key_store,
                "baseUrl": base_url,
            }),
            jq,
        );
    }
    out(format!(
        "logged in to profile {name} as {} ({}); key {} saved in {key_store}\n",
        account.email,
        account.plan,
        auth::mask(&key)
    ));
    Ok(())
}

async fn status(
    global: &GlobalArgs,
    key_from_command_line: bool,
    jq: Option<&Jq>,
) -> Result<(), Failure> {
    let login = auth::resolve(global, key_from_command_line)?;
    let Some(key) = &login.api_key else {
        return Err(Failure::Usage(
            format!("not logged in (profile {})", login.profile),
            Some("log in with: astudio auth login".into()),
        ));
    };
    let client = client(key, login.base_url.as_deref())?;
    let account = client.account().await?;
    if global.json {
        return print_json(
            &json!({
                "profile": login.profile,
                "baseUrl": client.base_url().as_str(),
                "key": auth::mask(key),
                "keyFrom": login.source.to_string(),
                "email": account.email,
                "plan": account.plan,
                "credits": account.credits,
            }),
            jq,
        );
    }
    out(key_values(&[
        ("profile", login.profile.clone()),
        ("base URL", client.base_url().to_string()),
        ("key", auth::mask(key)),
        ("key from", login.source.to_string()),
        ("email", account.email.clone()),
        ("plan", account.plan.to_string()),
        ("credits", account.credits.to_string()),
    ]));
    Ok(())
}

fn logout(name: &str, global: &GlobalArgs, jq: Option<&Jq>) -> Result<(), Failure> {
    let mut profiles = Profiles::load()?;
    let existed = profiles.profiles.remove(name).is_some();
    SecretStore::remove(name)?;
    if existed {
        profiles.save()?;
    }
    if global.json {
        return print_json(&json!({ "profile": name, "removed": existed }), jq);
    }
    if existed {
        out(format!(
            "logged out of profile {name}; its key is removed\n"
        ));
    } else if !global.quiet {
        eprintln!("no saved login for profile {name}");
    }
    Ok(())
}
