//! Colour and emphasis as people expect of a Unix tool: on a terminal only, off with `NO_COLOR`
//! (or `TERM=dumb`), and `--color auto|always|never` to choose.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use anstyle::{AnsiColor, Style};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set or TERM is dumb.
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

static ON: AtomicBool = AtomicBool::new(false);

/// Decides once, before anything is printed, whether this run's output is coloured.
pub fn init(choice: ColorChoice) {
    ON.store(decide(choice, auto_allows()), Ordering::Relaxed);
}

fn auto_allows() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    std::io::stdout().is_terminal() && !no_color && !dumb
}

/// The rule, apart from the environment it reads.
fn decide(choice: ColorChoice, auto: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => auto,
    }
}

fn paint(style: Style, text: &str) -> String {
    if ON.load(Ordering::Relaxed) {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

/// A section heading.
pub fn heading(text: &str) -> String {
    paint(Style::new().bold(), text)
}

/// Something that needs the leader's attention: overdue, slipping, a loss.
pub fn alert(text: &str) -> String {
    paint(AnsiColor::Red.on_default().bold(), text)
}

/// A gain.
pub fn gain(text: &str) -> String {
    paint(AnsiColor::Green.on_default(), text)
}

/// Detail a reader skims past: ids.
pub fn quiet(text: &str) -> String {
    paint(Style::new().dimmed(), text)
}

/// A signed number, green when above zero and red below.
pub fn signed(x: f64) -> String {
    if x > 0.0 {
        gain(&format!("+{x}"))
    } else if x < 0.0 {
        alert(&format!("{x}"))
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_follows_the_terminal_and_the_environment_and_the_flag_overrides() {
        assert!(decide(ColorChoice::Auto, true));
        assert!(!decide(ColorChoice::Auto, false));
        assert!(decide(ColorChoice::Always, false));
        assert!(!decide(ColorChoice::Never, true));
    }
}
