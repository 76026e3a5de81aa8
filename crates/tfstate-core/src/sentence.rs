//! Joining messages into sentences. AWS messages, SDK error chains and our own advice may or may
//! not end with a full stop; a message put in front of another sentence must end with exactly one.

/// The text as a sentence: trailing space removed and a full stop added unless it already ends
/// with one (`.`, `!`, `?`, `…`), also when that stop sits inside closing quotes or brackets
/// (`(see "x.")`). Empty text stays empty.
pub fn full_stop(text: &str) -> String {
    let text = text.trim_end();
    let last = text
        .trim_end_matches([')', ']', '"', '\'', '`', '»', '”', '’'])
        .chars()
        .last();
    match last {
        None if text.is_empty() => String::new(),
        Some('.' | '!' | '?' | '…') => text.to_owned(),
        _ => format!("{text}."),
    }
}

/// A count with its noun, singular for one: `count(1, "setting")` is "1 setting", `count(3,
/// "setting")` "3 settings". For nouns whose plural is the noun and an `s`.
pub fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::{count, full_stop};

    #[test]
    fn a_count_has_the_right_plural() {
        assert_eq!(count(0, "setting"), "0 settings");
        assert_eq!(count(1, "setting"), "1 setting");
        assert_eq!(count(2, "object version"), "2 object versions");
    }

    #[test]
    fn a_message_gets_exactly_one_full_stop() {
        for (message, sentence) in [
            ("Access Denied", "Access Denied."),
            ("Access Denied.", "Access Denied."),
            ("Access Denied.  \n", "Access Denied."),
            ("Is it there?", "Is it there?"),
            ("Stop!", "Stop!"),
            ("wait…", "wait…"),
            ("failed (Service: S3)", "failed (Service: S3)."),
            ("failed (see the log.)", "failed (see the log.)"),
            ("said \"no.\"", "said \"no.\""),
            ("", ""),
        ] {
            assert_eq!(full_stop(message), sentence, "{message:?}");
        }
    }
}
