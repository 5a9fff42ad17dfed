//! Shared helpers for the integration tests: a `stroma` command and a scratch directory.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The `stroma` binary under test.
pub fn stroma() -> Command {
    let mut command = Command::cargo_bin("stroma").expect("the stroma binary is built");
    command.env_remove("NO_COLOR");
    command
}

/// A temporary directory that is removed when dropped.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `name` inside the scratch directory and returns its path.
    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write a scratch file");
        path
    }
}

/// Runs `stroma` with `args`, asserts success and returns stdout.
pub fn stdout_of(args: &[&str]) -> String {
    let output = stroma().args(args).output().expect("stroma runs");
    assert!(
        output.status.success(),
        "stroma {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

/// True when an external tool is present; otherwise prints why the test is skipped, or fails
/// when `STROMA_REQUIRE_EXTERNAL` is set (as in CI).
pub fn have_tool(tool: &str, args: &[&str]) -> bool {
    let present = std::process::Command::new(tool)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        if std::env::var_os("STROMA_REQUIRE_EXTERNAL").is_some() {
            panic!("{tool} is required (STROMA_REQUIRE_EXTERNAL is set) but is not installed");
        }
        eprintln!("skipping: {tool} is not installed");
    }
    present
}
