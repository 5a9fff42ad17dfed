//! Shell integration: completion scripts each shell's parser accepts and that complete,
//! manual pages generated from the same definitions as `--help`, `NO_COLOR`, and `--quiet` /
//! `--verbose` on every command.

mod common;

use common::{have_tool, stdout_of, stroma, Scratch};
use predicates::prelude::*;
use predicates::str::contains;
use std::process::Command;

/// Every command, as `stroma --help` lists them.
const COMMANDS: &[&str] = &[
    "query",
    "update",
    "load",
    "queries",
    "validate",
    "stats",
    "search",
    "show",
    "trace",
    "render",
    "serve",
    "push",
    "export",
    "compare",
    "completions",
    "man",
];

#[test]
fn the_help_lists_every_command_this_file_checks() {
    let help = stdout_of(&["--help"]);
    let listed: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert_eq!(listed, COMMANDS, "{help}");
}

#[test]
fn the_bash_completion_parses_and_completes_commands_and_formats() {
    if !have_tool("bash", &["--version"]) {
        return;
    }
    let scratch = Scratch::new();
    let script = scratch.file("stroma.bash", &stdout_of(&["completions", "bash"]));
    let parsed = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("bash runs");
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    // What Tab offers after `stroma tr` and after `stroma trace x y --format `.
    let complete = |words: &str, current: usize| {
        let program = format!(
            "source {}; COMP_WORDS=({words}); COMP_CWORD={current}; COMP_LINE='{words}'; COMP_POINT=${{#COMP_LINE}}; _stroma \"${{COMP_WORDS[0]}}\" \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let output = Command::new("bash")
            .arg("-c")
            .arg(program)
            .output()
            .expect("bash runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let offered = complete("stroma tr", 1);
    assert_eq!(offered.trim(), "trace", "{offered}");
    let formats = complete("stroma trace x y --format ''", 5);
    for format in ["table", "json", "dot", "svg"] {
        assert!(
            formats.lines().any(|l| l == format),
            "{format} in {formats}"
        );
    }
    let infer = complete("stroma query q --infer ''", 4);
    assert_eq!(infer.trim(), "rdfs", "{infer}");
}

#[test]
fn the_zsh_and_fish_completions_parse() {
    let scratch = Scratch::new();
    for (shell, check) in [("zsh", "-n"), ("fish", "--no-execute")] {
        if !have_tool(shell, &["--version"]) {
            continue;
        }
        let script = scratch.file(shell, &stdout_of(&["completions", shell]));
        assert!(std::fs::metadata(&script).expect("written").len() > 1_000);
        let parsed = Command::new(shell)
            .arg(check)
            .arg(&script)
            .output()
            .expect("runs");
        assert!(
            parsed.status.success(),
            "{shell}: {}",
            String::from_utf8_lossy(&parsed.stderr)
        );
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_ones_there_are() {
    stroma()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(contains("bash").and(contains("zsh")).and(contains("fish")));
}

#[test]
fn the_manual_page_is_roff_with_every_command_and_the_examples() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH stroma 1"), "{page}");
    for command in COMMANDS {
        assert!(
            page.contains(&format!("stroma\\-{command}(1)")),
            "{command} in SEE ALSO"
        );
    }
    assert!(
        page.contains("Exit codes:"),
        "the long help's text is in the page"
    );
}

#[test]
fn man_writes_a_page_for_every_command_that_man_can_render() {
    let scratch = Scratch::new();
    let dir = scratch.path().join("man1");
    stroma()
        .args(["man", "-o"])
        .arg(&dir)
        .assert()
        .success()
        .stdout("")
        .stderr(contains("wrote 21 manual pages"));
    for command in COMMANDS {
        let page = dir.join(format!("stroma-{command}.1"));
        let text = std::fs::read_to_string(&page).expect("a page per command");
        assert!(text.contains(&format!(".TH stroma-{command} 1")), "{text}");
    }
    let trace = std::fs::read_to_string(dir.join("stroma-trace.1")).expect("the trace page");
    assert!(
        trace.contains("stroma trace iPSC\\-MSC"),
        "the examples are in the page"
    );
    assert!(
        dir.join("stroma-render-pathway.1").exists(),
        "subcommands of subcommands too"
    );
    if have_tool("man", &["--version"]) {
        let rendered = Command::new("man")
            .args(["-l", "-P", "cat"])
            .arg(dir.join("stroma-trace.1"))
            .env("MANWIDTH", "100")
            .output()
            .expect("man runs");
        let text = String::from_utf8_lossy(&rendered.stdout);
        assert!(text.contains("--max-hops"), "{text}");
    }
}

#[test]
fn no_color_turns_off_the_colour_clicolor_force_turns_on() {
    let help = |env: &[(&str, &str)]| {
        let output = stroma()
            .arg("--help")
            .envs(env.iter().copied())
            .output()
            .expect("stroma runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(help(&[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
    assert!(!help(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\u{1b}'));
    let logs = |env: &[(&str, &str)]| {
        let output = stroma()
            .args(["--verbose", "stats"])
            .envs(env.iter().copied())
            .output()
            .expect("stroma runs");
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    assert!(logs(&[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
    let plain = logs(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(plain.contains("opened the embedded graph"), "{plain}");
    assert!(!plain.contains('\u{1b}'), "{plain}");
}

#[test]
fn every_command_takes_quiet_and_verbose() {
    for command in COMMANDS {
        let help = stdout_of(&[command, "--help"]);
        assert!(
            help.contains("--quiet") && help.contains("--verbose"),
            "{command}: {help}"
        );
    }
    stroma()
        .args(["stats", "--quiet", "--verbose"])
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
}

#[test]
fn quiet_leaves_only_the_output_and_verbose_says_what_was_done() {
    let scratch = Scratch::new();
    stroma()
        .args(["--quiet", "man", "-o"])
        .arg(scratch.path().join("quiet"))
        .assert()
        .success()
        .stderr("");
    stroma()
        .args(["show", "tsg6", "--quiet"])
        .assert()
        .success()
        .stdout(contains("TSG-6"))
        .stderr("");
    stroma()
        .args([
            "--verbose",
            "--infer",
            "rdfs",
            "search",
            "TSG-6",
            "--limit",
            "1",
        ])
        .assert()
        .success()
        .stderr(
            contains("opened the embedded graph")
                .and(contains("--infer rdfs:"))
                .and(contains("triples entailed"))
                .and(contains("names built from the graph")),
        );
    stroma()
        .args(["search", "TSG-6", "--limit", "1"])
        .assert()
        .success()
        .stderr("");
}
