//! The web explorer in a real browser: `stroma serve` on a loopback port, and headless Chromium
//! (Debian's `chromium` and `chromedriver`, driven by Selenium from the test venv) walking
//! through it as a researcher would — `tests/browser/explore.py` has the steps and the
//! assertions. Screenshots land in the target dir (`tmp/explorer-screenshots`), never in git.
//! Without Chromium or Selenium the test skips with a reason, and fails when
//! STROMA_REQUIRE_EXTERNAL=1 (as in CI, where `scripts/test` installs them).

mod common;

use common::served::Served;
use std::path::Path;
use std::process::Command;

/// The venv's Python with Selenium, when it and Chromium's driver are installed.
fn browser() -> Option<String> {
    let venv = std::env::var("STROMA_VENV").unwrap_or_else(|_| "/var/tmp/stroma-venv".into());
    let python = format!("{venv}/bin/python");
    let selenium = Command::new(&python)
        .args(["-c", "import selenium"])
        .output()
        .is_ok_and(|o| o.status.success());
    let chromium = Path::new("/usr/bin/chromium").exists();
    let driver = Path::new("/usr/bin/chromedriver").exists();
    if selenium && chromium && driver {
        return Some(python);
    }
    let reason = format!(
        "Chromium ({}), chromedriver ({}) or Selenium in {venv} ({}); scripts/test installs them",
        if chromium { "present" } else { "missing" },
        if driver { "present" } else { "missing" },
        if selenium { "present" } else { "missing" },
    );
    if std::env::var("STROMA_REQUIRE_EXTERNAL").is_ok_and(|v| v == "1") {
        panic!("the browser test needs {reason}");
    }
    eprintln!("skipped: the browser test needs {reason}");
    None
}

#[test]
fn a_researcher_searches_opens_clicks_queries_traces_and_reads_the_matrix() {
    let Some(python) = browser() else { return };
    let served = Served::start(&[]);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("explorer-screenshots");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/explore.py");
    let output = Command::new(&python)
        .arg(&script)
        .arg(served.base())
        .arg(&shots)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "the browser walk failed:\n{}\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        served.log()
    );
    for shot in [
        "2-entity.png",
        "3-clicked-node.png",
        "5-trace.png",
        "6-matrix.png",
    ] {
        let size = std::fs::metadata(shots.join(shot)).map_or(0, |m| m.len());
        assert!(size > 10_000, "{shot} was saved ({size} bytes)");
    }
    eprintln!("screenshots in {}", shots.display());
}
