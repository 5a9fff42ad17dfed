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

/// The venv's Python with Selenium, when it, Chromium and Chromium's driver are installed.
fn browser() -> Option<String> {
    let tools = common::have_tool("chromium", &["--version"])
        && common::have_tool("chromedriver", &["--version"]);
    tools.then(|| common::venv_python(&["selenium"])).flatten()
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
