//! `stroma serve`: turns the options into the server's [`Config`], opens the graph, sets up
//! the request logs and runs the server until SIGINT or SIGTERM.

use crate::cli::{LogFormat, ServeArgs, SourceArgs};
use crate::error::Error;
use crate::server::{self, Config, Server};
use anyhow::{Context, Result};
use std::sync::Arc;
use std::time::Duration;

/// The environment variable that holds the update token.
pub const TOKEN_VARIABLE: &str = "STROMA_TOKEN";

pub fn serve(source: &SourceArgs, args: &ServeArgs) -> Result<u8> {
    let config = config(args)?;
    let engine = Arc::new(super::open_engine(source)?);
    let server = Server::new(engine, config.clone())?;
    let router = server::router(server)?;
    super::voice::install(super::voice::Logs::Server {
        json: args.log == LogFormat::Json,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // An evaluation's memory goes back when its blocking thread ends: idle ones end soon
        // (tokio's default keeps them 10 s), so a pathological query's working set is returned
        // shortly after it stops.
        .thread_keep_alive(Duration::from_secs(2))
        .build()
        .context("cannot start the server's runtime")?;
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", args.bind)))?;
        let address = listener.local_addr()?;
        super::voice::say(format_args!(
            "stroma serve: SPARQL endpoint at http://{address}/sparql (deadline {}, max rows {}, updates {})",
            config.timeout.map_or("none".into(), |t| format!("{} s", t.as_secs_f64())),
            config.max_rows.map_or("none".into(), |n| n.to_string()),
            if config.update_token.is_some() { "on, with a bearer token" } else { "off" },
        ));
        server::serve(listener, router, config.receive_timeout)
            .await
            .context("the server stopped on an error")
    });
    // An evaluation that ignores its cancelled token (all its time in memory, see
    // server::work) must not keep the process alive after its client had its 503.
    runtime.shutdown_timeout(Duration::from_secs(1));
    served?;
    super::voice::say("stroma serve: stopped");
    Ok(0)
}

fn config(args: &ServeArgs) -> Result<Config> {
    if !(args.timeout.is_finite() && args.timeout >= 0.0) {
        return Err(Error::Usage(format!(
            "--timeout {}: expected a number of seconds, 0 for no deadline",
            args.timeout
        ))
        .into());
    }
    if !(args.receive_timeout.is_finite() && args.receive_timeout > 0.0) {
        return Err(Error::Usage(format!(
            "--receive-timeout {}: expected a positive number of seconds",
            args.receive_timeout
        ))
        .into());
    }
    let update_token = if args.allow_update {
        let token = args
            .token
            .clone()
            .or_else(|| std::env::var(TOKEN_VARIABLE).ok())
            .filter(|t| !t.trim().is_empty());
        Some(token.ok_or_else(|| {
            Error::Usage(format!(
                "--allow-update needs a token that clients send as `Authorization: Bearer TOKEN`: set {TOKEN_VARIABLE} (or --token TOKEN)"
            ))
        })?)
    } else {
        None
    };
    Ok(Config {
        timeout: (args.timeout > 0.0).then(|| Duration::from_secs_f64(args.timeout)),
        max_rows: (args.max_rows > 0).then_some(args.max_rows),
        max_body: args.max_body,
        receive_timeout: Duration::from_secs_f64(args.receive_timeout),
        max_concurrent: args
            .max_concurrent
            .unwrap_or_else(server::default_max_concurrent),
        update_token,
        service_allow: args.service_allow.clone(),
        load_allow: args.allow_load.clone(),
        cors: args.cors.clone(),
    })
}
