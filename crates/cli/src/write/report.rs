//! What a run tells its user: a progress bar with an ETA on a terminal,
//! one plain line per write otherwise, and a summary table at the end.

use std::fmt::Write as _;
use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// One article written (or, in a dry run, to be written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub external_id: String,
    pub article_id: Option<i64>,
    /// For updates: the fields sent (`content.en`, `published`, …).
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub external_id: String,
    pub origin: String,
    pub reason: String,
}

/// The outcome of a run, item by item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub dry_run: bool,
    pub created: Vec<Written>,
    /// Articles that already existed upstream and were linked to their
    /// source item (a create interrupted before its id was stored, or
    /// `--adopt-existing`), PATCHed where they differed.
    pub linked: Vec<Written>,
    pub updated: Vec<Written>,
    pub unchanged: usize,
    pub failed: Vec<Failure>,
    /// Articles edited or deleted upstream since our last write.
    pub drift: Vec<String>,
    /// Items in the state file that the source no longer has.
    pub gone_from_source: Vec<String>,
    /// Why the run stopped before the end (the API kept failing).
    pub stopped: Option<String>,
}

impl Summary {
    pub fn table(&self, job: &str) -> String {
        let mut out = String::new();
        let title = if self.dry_run {
            format!("{job} plan (dry run: nothing was written)")
        } else {
            format!("{job} summary")
        };
        let verb = |s: &str| {
            if self.dry_run {
                format!("to be {s}")
            } else {
                s.to_string()
            }
        };
        let _ = writeln!(out, "{title}");
        let _ = writeln!(out, "  {:<22} {:>6}", "result", "count");
        let rows = [
            (verb("created"), self.created.len()),
            (verb("linked"), self.linked.len()),
            (verb("updated"), self.updated.len()),
            ("unchanged".to_string(), self.unchanged),
            ("failed".to_string(), self.failed.len()),
        ];
        for (name, count) in rows {
            let _ = writeln!(out, "  {name:<22} {count:>6}");
        }
        if !self.failed.is_empty() {
            let _ = writeln!(out, "failures:");
            for f in &self.failed {
                let _ = writeln!(out, "  {} ({}): {}", f.external_id, f.origin, f.reason);
            }
        }
        if let Some(why) = &self.stopped {
            let _ = writeln!(out, "STOPPED: {why}");
        }
        if !self.drift.is_empty() {
            let _ = writeln!(
                out,
                "changed upstream since the last run (left as they are):"
            );
            for d in &self.drift {
                let _ = writeln!(out, "  {d}");
            }
        }
        if !self.gone_from_source.is_empty() {
            let _ = writeln!(
                out,
                "no longer in the source ({}); their articles were left upstream (the API has no delete):",
                self.gone_from_source.len()
            );
            for g in self.gone_from_source.iter().take(20) {
                let _ = writeln!(out, "  {g}");
            }
        }
        out
    }
}

/// Progress output: a bar on a terminal, plain lines otherwise.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress {
    /// `total`: the writes planned. A bar only when stderr is a terminal.
    pub fn new(total: u64, quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal() && total > 0).then(|| {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} writes, ETA {eta} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Progress { bar, quiet }
    }

    pub fn quiet() -> Self {
        Progress {
            bar: None,
            quiet: true,
        }
    }

    /// One line about one item (above the bar on a terminal).
    pub fn line(&self, msg: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.println(msg),
            None => println!("{msg}"),
        }
    }

    pub fn step(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
