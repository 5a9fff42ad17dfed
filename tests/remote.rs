//! Remote mode: the same commands against a SPARQL endpoint give the same answers as on the
//! embedded graph — another `stroma serve` on loopback (serving the embedded graph, and an
//! empty one filled with `stroma push`), and a real Virtuoso (tests/virtuoso/start.sh) — and an
//! endpoint that cannot be reached, fails or is not SPARQL is a clear error with exit 2.

mod common;

use common::served::Served;
use common::{stroma, Scratch};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Runs stroma with `args`; returns (exit code, stdout, stderr).
fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let output = stroma()
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("stroma runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The answer lines of a command, sorted (row order is not part of an unordered answer).
fn sorted(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

/// Asserts that each command gives the same answer locally and through `remote` (the
/// endpoint options).
fn same_answers(remote: &[&str]) {
    let commands: Vec<Vec<&str>> = vec![
        vec!["query", "factors-by-effect", "--format", "tsv"],
        vec!["query", "table-1", "--format", "csv"],
        vec![
            "query",
            "SELECT ?f WHERE { ?f st:secretes ?x } ORDER BY ?f",
            "--format",
            "tsv",
        ],
        vec!["stats"],
        vec!["show", "TSG-6"],
        vec!["show", "ref:111", "--format", "json"],
        vec!["search", "tsg6", "--limit", "1"],
        vec!["search", "Sjogren", "--limit", "2"],
        vec!["trace", "TSG-6", "intestinal repair", "--format", "json"],
        vec![
            "trace",
            "iPSC-MSC",
            "angiogenesis",
            "--organism",
            "rat",
            "--format",
            "json",
        ],
        vec![
            "trace",
            "hESC-MSC",
            "IL-6",
            "--undirected",
            "--max-hops",
            "2",
            "--format",
            "json",
        ],
        vec!["render", "neighbourhood", "TSG-6", "--format", "dot"],
    ];
    for command in commands {
        let (code, local, _) = run(&command, &[]);
        assert_eq!(code, 0, "locally: {command:?}");
        let mut args = command.clone();
        args.extend_from_slice(remote);
        let (code, answer, errors) = run(&args, &[]);
        assert_eq!(code, 0, "{args:?}: {errors}");
        assert_eq!(sorted(&local), sorted(&answer), "{args:?}");
    }
}

#[test]
fn the_same_commands_answer_the_same_through_another_stroma_serve() {
    let served = Served::start(&[]);
    same_answers(&["--endpoint", &served.url]);
}

#[test]
fn push_fills_an_empty_endpoint_that_then_answers_as_the_embedded_graph() {
    let served = Served::start_with(
        &["--no-embedded", "--allow-update", "--max-body", "4000000"],
        &[("STROMA_TOKEN", "s3cret")],
    );
    let scratch = Scratch::new();
    let journal = scratch.path().join("push.json");
    let update = format!("{}/update", served.base());
    let store = format!("{}/store", served.base());
    let token = [("STROMA_ENDPOINT_TOKEN", "s3cret")];
    let push = |extra: &[&str]| {
        let mut args = vec![
            "push",
            "--embedded",
            "--endpoint",
            &served.url,
            "--update-endpoint",
            &update,
            "--journal",
            journal.to_str().expect("utf-8 path"),
        ];
        args.extend_from_slice(extra);
        run(&args, &token)
    };
    // Without the token the server refuses, the error says so, and the journal is kept.
    let (code, _, errors) = run(
        &[
            "push",
            "--embedded",
            "--endpoint",
            &served.url,
            "--update-endpoint",
            &update,
            "--journal",
            journal.to_str().expect("utf-8 path"),
        ],
        &[],
    );
    assert_eq!(code, 2, "{errors}");
    assert!(errors.contains("401"), "{errors}");
    assert!(!errors.contains("s3cret"));
    // `stroma serve`'s /store only reads: the empty probe is refused and INSERT DATA is used.
    let (code, out, errors) = push(&["--graph-store", &store, "--chunk", "3000"]);
    assert_eq!(code, 0, "{errors}");
    assert!(out.contains("insert data"), "{out}");
    assert!(
        out.contains("the endpoint holds 15468") || out.contains("holds"),
        "{out}"
    );
    assert!(!journal.exists(), "a completed push leaves no journal");
    same_answers(&["--endpoint", &served.url]);
    // Pushing again adds nothing and still checks out.
    let (code, out, errors) = push(&["--chunk", "3000"]);
    assert_eq!(code, 0, "{errors}");
    assert!(out.contains("it held"), "{out}");
}

/// A loopback HTTP server answering every request with `response`; counts the requests.
fn fake_endpoint(response: &'static str) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!(
        "http://{}/sparql",
        listener.local_addr().expect("an address")
    );
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(&stream);
            let mut length = 0usize;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let mut stream = &stream;
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (url, count)
}

#[test]
fn an_unreachable_endpoint_is_a_clear_error_with_exit_2() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}/sparql");
    let (code, _, errors) = run(&["query", "table-1", "--endpoint", &url], &[]);
    assert_eq!(code, 2, "{errors}");
    assert!(
        errors.contains(&format!("cannot reach the endpoint {url}")),
        "{errors}"
    );
}

#[test]
fn a_server_error_is_retried_then_reported_with_its_status_and_body_and_exit_2() {
    let (url, requests) = fake_endpoint(
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 26\r\nConnection: close\r\n\r\nVirtuoso 42000 Error: boom",
    );
    let (code, _, errors) = run(
        &["query", "table-1", "--endpoint", &url, "--retries", "2"],
        &[
            ("STROMA_ENDPOINT_USER", "ann"),
            ("STROMA_ENDPOINT_PASSWORD", "hunter2"),
        ],
    );
    assert_eq!(code, 2, "{errors}");
    assert!(
        errors.contains("answered 500 Internal Server Error: Virtuoso 42000 Error: boom"),
        "{errors}"
    );
    assert!(
        !errors.contains("hunter2"),
        "credentials are never echoed: {errors}"
    );
    assert_eq!(
        requests.load(Ordering::SeqCst),
        3,
        "one request and two retries"
    );
}

#[test]
fn an_html_page_instead_of_sparql_is_a_clear_error_with_exit_2() {
    let (url, requests) = fake_endpoint(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 47\r\nConnection: close\r\n\r\n<html><body><h1>Please log in</h1></body></html>",
    );
    let (code, _, errors) = run(&["query", "table-1", "--endpoint", &url], &[]);
    assert_eq!(code, 2, "{errors}");
    assert!(
        errors.contains("did not answer with SPARQL results but with text/html"),
        "{errors}"
    );
    assert!(errors.contains("Please log in"), "{errors}");
    assert_eq!(requests.load(Ordering::SeqCst), 1, "a 200 is not retried");
}

#[test]
fn credentials_belong_in_the_environment_not_the_url() {
    let (code, _, errors) = run(
        &[
            "query",
            "table-1",
            "--endpoint",
            "http://ann:hunter2@127.0.0.1:9/sparql",
        ],
        &[],
    );
    assert_eq!(code, 2, "{errors}");
    assert!(errors.contains("STROMA_ENDPOINT_USER"), "{errors}");
    assert!(!errors.contains("hunter2"), "{errors}");
}
