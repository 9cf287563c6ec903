//! Environments: resolving one from `promptform.yaml` (with the built-in `local`), and connecting
//! to it: the embedded emulator for `emulator: true`, AWS (profile, assumed role, endpoint)
//! otherwise.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_bedrockagent::config::{Credentials, Region};

use crate::bedrock::limits::Limiter;
use crate::bedrock::store::Store;
use crate::config::{Environment, LOCAL_ENV, ProjectConfig};
use crate::emulator::{Emulator, EmulatorConfig};
use crate::error::{Error, Result};

/// The region of the embedded emulator.
const LOCAL_REGION: &str = "us-east-1";

#[derive(Debug, Clone)]
pub struct ResolvedEnv {
    pub name: String,
    pub config: Environment,
}

impl ResolvedEnv {
    pub fn is_emulator(&self) -> bool {
        self.config.emulator == Some(true)
            || (self.name == LOCAL_ENV && self.config.emulator.is_none())
    }

    pub fn is_protected(&self) -> bool {
        self.config.protected == Some(true)
    }
}

/// The environment named `name` (or the default one).
pub fn resolve(config: &ProjectConfig, name: Option<&str>) -> Result<ResolvedEnv> {
    let name = name.unwrap_or(config.default_env());
    match config.environments.get(name) {
        Some(env) => Ok(ResolvedEnv {
            name: name.to_string(),
            config: env.clone(),
        }),
        None if name == LOCAL_ENV => Ok(ResolvedEnv {
            name: name.to_string(),
            config: Environment {
                emulator: Some(true),
                ..Environment::default()
            },
        }),
        None => Err(Error::UnknownEnvironment {
            name: name.to_string(),
            known: config
                .environment_names()
                .into_iter()
                .map(str::to_string)
                .collect(),
        }),
    }
}

/// A live connection to an environment. Holds the embedded emulator, when there is one, for as
/// long as the command runs.
pub struct Connection {
    pub store: Store,
    pub agent_client: aws_sdk_bedrockagent::Client,
    _emulator: Option<Emulator>,
}

/// Where the embedded emulator of environment `name` keeps its state.
pub fn local_state_file(root: &Path, name: &str) -> PathBuf {
    root.join(".promptform").join(name).join("state.json")
}

fn retry() -> RetryConfig {
    // Throttling and 5xx are retried with exponential backoff; the limiter keeps them rare.
    RetryConfig::standard().with_max_attempts(8)
}

pub async fn connect(root: &Path, env: &ResolvedEnv) -> Result<Connection> {
    if env.is_emulator() {
        let state = local_state_file(root, &env.name);
        if let Some(dir) = state.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create the folder", dir, e))?;
        }
        let config = EmulatorConfig {
            state_file: Some(state),
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::start(config).map_err(|e| {
            Error::msg(format!(
                "cannot start the embedded emulator for `{}`: {e}",
                env.name
            ))
        })?;
        let sdk = aws_sdk_bedrockagent::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(LOCAL_REGION))
            .credentials_provider(Credentials::new(
                "PROMPTFORMLOCAL",
                "local",
                None,
                None,
                "promptform-local",
            ))
            .endpoint_url(emulator.url())
            .retry_config(retry())
            .build();
        let client = aws_sdk_bedrockagent::Client::from_conf(sdk);
        // The embedded emulator has no rate limits, so neither has the client.
        let store = Store::new(client.clone(), Arc::new(Limiter::new(None)));
        return Ok(Connection {
            store,
            agent_client: client,
            _emulator: Some(emulator),
        });
    }
    let c = &env.config;
    if let Some(url) = &c.endpoint_url {
        reachable(&env.name, url).await?;
    }
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
        aws_config::timeout::TimeoutConfig::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .build(),
    );
    if let Some(region) = &c.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &c.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &c.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let mut sdk_config = loader.load().await;
    if let Some(role) = &c.role_arn {
        let provider = aws_config::sts::AssumeRoleProvider::builder(role)
            .session_name(format!("promptform-{}", env.name))
            .configure(&sdk_config)
            .build()
            .await;
        sdk_config = sdk_config
            .into_builder()
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(provider),
            )
            .build();
    }
    if sdk_config.region().is_none() {
        return Err(Error::hint(
            format!("environment `{}` has no region", env.name),
            "set `region:` for it in `promptform.yaml`, or AWS_REGION",
        ));
    }
    let agent_config = aws_sdk_bedrockagent::config::Builder::from(&sdk_config)
        .retry_config(retry())
        .build();
    let client = aws_sdk_bedrockagent::Client::from_conf(agent_config);
    let scale = match c.rate_scale {
        Some(0.0) => None,
        Some(scale) => Some(scale),
        None => Some(1.0),
    };
    let store = Store::new(client.clone(), Arc::new(Limiter::new(scale)));
    Ok(Connection {
        store,
        agent_client: client,
        _emulator: None,
    })
}

/// How long a connection may take to open before the endpoint counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// An `endpoint_url` is tried once before any call, so that one nothing listens on fails in
/// seconds with what to do, rather than after the SDK's retries of every call.
async fn reachable(env: &str, url: &str) -> Result<()> {
    let (secure, rest) = match url.split_once("://") {
        Some(("https", rest)) => (true, rest),
        Some((_, rest)) => (false, rest),
        None => (false, url),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let unreachable = |reason: String| {
        let host = authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host);
        let local = matches!(host, "localhost" | "[::1]" | "127.0.0.1" | "0.0.0.0")
            && authority.contains(':');
        Error::Unreachable {
            env: env.to_string(),
            url: url.to_string(),
            reason,
            local: local.then(|| authority.to_string()),
        }
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => match port.parse::<u16>() {
            Ok(port) => (host, port),
            Err(_) => return Err(unreachable(format!("`{port}` is not a port"))),
        },
        _ => (authority, if secure { 443 } else { 80 }),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio::net::TcpStream::connect((host, port)),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(unreachable(e.to_string())),
        Err(_) => Err(unreachable(format!(
            "no answer within {} s",
            CONNECT_TIMEOUT.as_secs()
        ))),
    }
}

/// The git commit of the project, recorded on new versions; `unknown` outside git.
pub fn git_commit(root: &Path) -> String {
    std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}
