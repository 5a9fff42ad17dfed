//! A `stroma serve` process on a free loopback port for end-to-end tests: started from the
//! binary under test, its log collected, stopped with SIGTERM when dropped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A `stroma serve` process, stopped with SIGTERM when dropped.
pub struct Served {
    child: Child,
    /// The SPARQL endpoint, `http://127.0.0.1:PORT/sparql`.
    pub url: String,
    log: Arc<Mutex<String>>,
}

impl Served {
    pub fn start(args: &[&str]) -> Self {
        Self::start_with(args, &[])
    }

    pub fn start_with(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stroma"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("stroma serve starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(String::new()));
        let (found, url) = std::sync::mpsc::channel();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("SPARQL endpoint at ").nth(1) {
                    let _ = found.send(rest.split(' ').next().unwrap_or("").to_owned());
                }
                let mut log = sink.lock().expect("the log");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let url = url
            .recv_timeout(Duration::from_secs(30))
            .expect("stroma serve prints its address");
        Self { child, url, log }
    }

    /// The explorer's root, `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        self.url.trim_end_matches("/sparql")
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The `host:port` the server listens on.
    pub fn address(&self) -> &str {
        self.base().trim_start_matches("http://")
    }

    /// A line of the server's `/proc/PID/status` (`VmRSS`, `VmHWM`, `Threads`), as a number
    /// (kB for sizes).
    pub fn status(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("{field} in /proc status"))
    }

    pub fn log(&self) -> String {
        self.log.lock().expect("the log").clone()
    }

    /// Whether a log line containing every one of `needles` appears within 5 s (the log is
    /// read by another thread).
    pub fn logged(&self, needles: &[&str]) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self
                .log()
                .lines()
                .any(|l| needles.iter().all(|n| l.contains(n)))
            {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Sends SIGTERM and waits for the process to end; returns whether it exited with 0.
    pub fn terminate(&mut self) -> bool {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate();
        }
    }
}
