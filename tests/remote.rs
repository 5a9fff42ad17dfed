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
use std::time::{Duration, Instant};

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

/// Asserts that each command gives the same answer locally and through `remote` (the
/// endpoint options).
fn same_answers(remote: &[&str]) {
    same_answers_but(remote, |line| line.to_owned());
}

/// As [`same_answers`], comparing lines after `normalise` (for an engine's documented
/// departure from the standard).
fn same_answers_but(remote: &[&str], normalise: impl Fn(&str) -> String) {
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
        vec!["trace", "--matrix", "--max-hops", "2", "--format", "csv"],
        vec!["validate"],
    ];
    for command in commands {
        let (code, local, _) = run(&command, &[]);
        assert_eq!(code, 0, "locally: {command:?}");
        let mut args = command.clone();
        args.extend_from_slice(remote);
        let (code, answer, errors) = run(&args, &[]);
        assert_eq!(code, 0, "{args:?}: {errors}");
        // Query answers sorted (row order is not part of an unordered answer); everything
        // else exactly, line for line.
        let norm = |text: &str| -> Vec<String> {
            let mut lines: Vec<String> = text.lines().map(&normalise).collect();
            if command[0] == "query" {
                lines.sort();
            }
            lines
        };
        assert_eq!(norm(&local), norm(&answer), "{args:?}");
    }
}

#[test]
fn the_same_commands_answer_the_same_through_another_stroma_serve() {
    let served = Served::start(&[]);
    same_answers(&["--endpoint", &served.url]);
}

#[test]
fn serve_with_an_endpoint_puts_the_explorer_and_the_protocol_in_front_of_it() {
    let back = Served::start(&[]);
    let front = Served::start_with(
        &["--endpoint", &back.url, "--allow-update"],
        &[("STROMA_TOKEN", "s3cret")],
    );
    let get = |path: &str| {
        let mut response = ureq::get(&format!("{}{path}", front.base()))
            .call()
            .expect("the front server answers");
        response.body_mut().read_to_string().expect("a text body")
    };
    let page = get("/entity/sr:TSG6");
    assert!(page.contains("intestinal repair"), "{page}");
    assert!(page.contains("Yang H"), "the studies are shown: {page}");
    let page = get("/trace?from=TSG-6&to=intestinal+repair");
    assert!(page.contains("Path 1"), "{page}");
    let answer = get("/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20st%3AsecretesX%20%3Fo%20%7D");
    assert!(answer.contains("\"n\""), "{answer}");
    // A SERVICE call is not forwarded: the front server's own policy could not apply there.
    let refused = ureq::get(&format!(
        "{}/sparql?query=SELECT%20*%20WHERE%20%7B%20SERVICE%20%3Chttp%3A%2F%2Fexample.org%2Fsparql%3E%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D",
        front.base()
    ))
    .config()
    .http_status_as_error(false)
    .build()
    .call()
    .expect("the front server answers");
    assert_eq!(refused.status().as_u16(), 403);
    // Nor in an update.
    let refused = ureq::post(&format!("{}/update", front.base()))
        .header("Authorization", "Bearer s3cret")
        .config()
        .http_status_as_error(false)
        .build()
        .send_form([(
            "update",
            "INSERT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        )])
        .expect("the front server answers");
    assert_eq!(refused.status().as_u16(), 403);
}

/// A `stroma serve` of an empty graph taking updates with the token `s3cret`.
fn empty_writable_server() -> Served {
    Served::start_with(
        &["--no-embedded", "--allow-update", "--max-body", "4000000"],
        &[("STROMA_TOKEN", "s3cret")],
    )
}

/// Reads one HTTP request: its head (request line and headers, with `Connection: close`) and
/// its body.
fn read_request(stream: &std::net::TcpStream) -> (String, Vec<u8>) {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut line = String::new();
    let mut length = 0usize;
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" {
            head.push_str("Connection: close\r\n\r\n");
            break;
        }
        if !lower.starts_with("connection:") {
            head.push_str(&line);
        }
        line.clear();
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    (head, body)
}

#[test]
fn push_fills_an_empty_endpoint_that_then_answers_as_the_embedded_graph() {
    let served = empty_writable_server();
    let scratch = Scratch::new();
    let journal = scratch.path().join("push.json");
    let update = format!("{}/update", served.base());
    let store = format!("{}/store", served.base());
    let token = [("STROMA_ENDPOINT_TOKEN", "s3cret")];
    let push = |extra: &[&str], env: &[(&str, &str)]| {
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
        run(&args, env)
    };
    // Without the token the server refuses, and the error says so.
    let (code, _, errors) = push(&["--chunk", "3000"], &[]);
    assert_eq!(code, 2, "{errors}");
    assert!(errors.contains("401"), "{errors}");
    assert!(!errors.contains("s3cret"));
    // `stroma serve`'s /store only reads: the empty probe is refused and INSERT DATA is used.
    let (code, out, errors) = push(&["--graph-store", &store, "--chunk", "3000"], &token);
    assert_eq!(code, 0, "{errors}");
    assert!(out.contains("insert data"), "{out}");
    assert!(
        out.contains("the endpoint holds 15528 (it held 0 before)"),
        "{out}"
    );
    assert!(!journal.exists(), "a completed push leaves no journal");
    same_answers(&["--endpoint", &served.url]);
    // Pushing again adds nothing and still checks out.
    let (code, out, errors) = push(&["--chunk", "3000"], &token);
    assert_eq!(code, 0, "{errors}");
    assert!(
        out.contains("the endpoint holds 15528 (it held 15528 before)"),
        "{out}"
    );
}

/// A Virtuoso started by tests/virtuoso/start.sh on free loopback ports with its own scratch
/// database, stopped (tests/virtuoso/stop.sh) when dropped.
struct Virtuoso {
    dir: Scratch,
    url: String,
    sql_port: u16,
}

impl Virtuoso {
    fn start() -> Option<Self> {
        if !common::have_tool("sh", &["-c", "command -v virtuoso-t && command -v isql-vt"]) {
            return None;
        }
        let free = || {
            TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port()
        };
        let (http_port, sql_port) = (free(), free());
        let dir = Scratch::new();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/virtuoso/start.sh");
        let output = std::process::Command::new("bash")
            .arg(script)
            .arg(dir.path())
            .arg(http_port.to_string())
            .arg(sql_port.to_string())
            .output()
            .expect("bash runs");
        let virtuoso = Self {
            url: format!("http://127.0.0.1:{http_port}/sparql"),
            dir,
            sql_port,
        };
        assert!(
            output.status.success(),
            "Virtuoso starts: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Some(virtuoso)
    }

    /// Runs SQL through isql (the text index is filled by a scheduled job: tests fill it now).
    fn sql(&self, statement: &str) {
        let mut child = std::process::Command::new("isql-vt")
            .arg(format!("127.0.0.1:{}", self.sql_port))
            .args(["dba", "dba", "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("isql runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{statement}\n").as_bytes())
            .expect("isql reads");
        assert!(child.wait().expect("isql ends").success());
    }
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/virtuoso/stop.sh");
        let _ = std::process::Command::new("bash")
            .arg(script)
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn the_same_commands_answer_the_same_through_virtuoso_after_push() {
    let Some(virtuoso) = Virtuoso::start() else {
        return;
    };
    let graph = "https://w3id.org/stroma/test-graph";
    let store = virtuoso.url.replace("/sparql", "/sparql-graph-crud");
    let journal = virtuoso.dir.path().join("push.json");
    let (code, out, errors) = run(
        &[
            "push",
            "--embedded",
            "--endpoint",
            &virtuoso.url,
            "--graph-store",
            &store,
            "--graph",
            graph,
            "--journal",
            journal.to_str().expect("utf-8 path"),
        ],
        &[],
    );
    assert_eq!(code, 0, "{errors}");
    assert!(out.contains("(graph store)"), "{out}");
    assert!(
        out.contains("the endpoint holds 15528 (it held 0 before)"),
        "{out}"
    );
    virtuoso.sql("DB.DBA.VT_INC_INDEX_DB_DBA_RDF_OBJ ();");
    // Virtuoso drops the language tag of a GROUP_CONCAT whose values all share one (SPARQL
    // 1.1's CONCAT keeps it), and the order within a GROUP_CONCAT is the engine's to choose:
    // compare those lists without the tag and with their items sorted.
    same_answers_but(
        &["--endpoint", &virtuoso.url, "--default-graph", graph],
        |line| {
            line.replace("\"@en", "\"")
                .split('\t')
                .map(|field| {
                    let mut items: Vec<&str> = field.trim_matches('"').split("; ").collect();
                    items.sort_unstable();
                    items.join("; ")
                })
                .collect::<Vec<_>>()
                .join("\t")
        },
    );
    // Search went through Virtuoso's text index: no note about a bounded scan.
    let (code, out, errors) = run(
        &[
            "search",
            "syndrome",
            "--endpoint",
            &virtuoso.url,
            "--default-graph",
            graph,
        ],
        &[],
    );
    assert_eq!(code, 0, "{errors}");
    assert!(out.contains("Sjögren's syndrome"), "{out}");
    assert!(!errors.contains("no text index"), "{errors}");
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
            read_request(&stream);
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

#[test]
fn an_answer_the_endpoint_cut_at_its_row_cap_is_an_error_not_a_shorter_answer() {
    let served = Served::start(&["--max-rows", "5"]);
    let (code, out, errors) = run(
        &[
            "query",
            "SELECT ?s WHERE { ?s ?p ?o }",
            "--endpoint",
            &served.url,
        ],
        &[],
    );
    assert_eq!(code, 2, "{out}{errors}");
    assert!(
        errors.contains("cut its answer short at its row cap (Stroma-Truncated"),
        "{errors}"
    );
    assert!(out.is_empty(), "nothing printed from a cut answer: {out}");
}

/// A loopback proxy to `target` that forwards the first `forward` requests and answers the
/// rest with 400, as an endpoint that fails part-way through a push.
fn failing_after(target: &str, forward: usize) -> String {
    proxy(target, forward, Duration::ZERO)
}

/// A loopback proxy to `target` that forwards each request after `delay`: a slow endpoint.
fn slow(target: &str, delay: Duration) -> String {
    proxy(target, usize::MAX, delay)
}

fn proxy(target: &str, forward: usize, delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("an address");
    let target = target
        .trim_start_matches("http://")
        .split('/')
        .next()
        .expect("a host")
        .to_owned();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().map_while(Result::ok).enumerate() {
            let (head, body) = read_request(&stream);
            let mut client = &stream;
            if n >= forward {
                let _ = client.write_all(
                    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 13\r\nConnection: close\r\n\r\nproxy refused",
                );
                continue;
            }
            std::thread::sleep(delay);
            let mut upstream = std::net::TcpStream::connect(&target).expect("the server");
            let _ = upstream.write_all(head.as_bytes());
            let _ = upstream.write_all(&body);
            let mut answer = Vec::new();
            let _ = upstream.read_to_end(&mut answer);
            let _ = client.write_all(&answer);
        }
    });
    format!("http://{address}/update")
}

#[test]
fn an_interrupted_push_resumes_sending_only_what_was_not_confirmed() {
    let served = empty_writable_server();
    let scratch = Scratch::new();
    let journal = scratch.path().join("push.json");
    let journal = journal.to_str().expect("utf-8 path");
    let update = format!("{}/update", served.base());
    let token = [("STROMA_ENDPOINT_TOKEN", "s3cret")];
    let push = |update: &str| {
        run(
            &[
                "push",
                "--embedded",
                "--endpoint",
                &served.url,
                "--update-endpoint",
                update,
                "--chunk",
                "2000",
                "--retries",
                "0",
                "--journal",
                journal,
            ],
            &token,
        )
    };
    // The endpoint fails after three chunks: the push stops, exit 2, the journal kept.
    let (code, _, errors) = push(&failing_after(&update, 3));
    assert_eq!(code, 2, "{errors}");
    assert!(errors.contains("proxy refused"), "{errors}");
    assert!(errors.contains("the same command resumes it"), "{errors}");
    let recorded = std::fs::read_to_string(journal).expect("the journal is kept");
    let sent: serde_json::Value = serde_json::from_str(&recorded).expect("the journal is JSON");
    assert_eq!(
        sent["sent"].as_object().map(|m| m.len()),
        Some(3),
        "{recorded}"
    );
    // Again, straight to the endpoint: only the rest is sent, and the counts check out.
    let (code, out, errors) = push(&update);
    assert_eq!(code, 0, "{errors}");
    assert!(
        out.contains("; 3 chunks were sent before and not again"),
        "{out}"
    );
    assert!(
        out.contains("the endpoint holds 15528 (it held 0 before)"),
        "{out}"
    );
    same_answers(&["--endpoint", &served.url]);
}

#[test]
fn a_push_killed_part_way_resumes_from_its_journal() {
    let served = empty_writable_server();
    let scratch = Scratch::new();
    let journal = scratch.path().join("push.json");
    let update = format!("{}/update", served.base());
    let args = |update: &str| {
        vec![
            "push".to_owned(),
            "--embedded".into(),
            "--endpoint".into(),
            served.url.clone(),
            "--update-endpoint".into(),
            update.to_owned(),
            "--chunk".into(),
            "1000".into(),
            "--journal".into(),
            journal.to_str().expect("utf-8 path").to_owned(),
        ]
    };
    // Through an endpoint slow enough to be caught part-way: killed (SIGKILL, no chance to
    // tidy up) once the journal records three chunks.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stroma"))
        .args(args(&slow(&update, Duration::from_millis(150))))
        .env("STROMA_ENDPOINT_TOKEN", "s3cret")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("push starts");
    let sent = |journal: &std::path::Path| -> usize {
        std::fs::read_to_string(journal)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|value| value["sent"].as_object().map(serde_json::Map::len))
            .unwrap_or(0)
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while sent(&journal) < 3 {
        assert!(Instant::now() < deadline, "the push recorded no chunks");
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the push ended early"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("killed");
    child.wait().expect("reaped");
    // The journal is whole (written to a temporary file and renamed), with what was sent.
    let recorded = std::fs::read_to_string(&journal).expect("the journal is kept");
    let value: serde_json::Value =
        serde_json::from_str(&recorded).expect("the journal is whole JSON after a kill");
    let before = value["sent"].as_object().map_or(0, serde_json::Map::len);
    assert!((3..16).contains(&before), "{recorded}");
    // The same command again, straight to the endpoint: it finishes, sends only the rest, and
    // the endpoint holds exactly the graph.
    let args = args(&update);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, errors) = run(&args, &[("STROMA_ENDPOINT_TOKEN", "s3cret")]);
    assert_eq!(code, 0, "{errors}");
    assert!(
        out.contains(&format!("; {before} chunks were sent before and not again")),
        "resumed after the {before} recorded chunks: {out}"
    );
    assert!(
        out.contains("the endpoint holds 15528 (it held 0 before)"),
        "{out}"
    );
    assert!(!journal.exists(), "a completed push leaves no journal");
    same_answers(&["--endpoint", &served.url]);
}
