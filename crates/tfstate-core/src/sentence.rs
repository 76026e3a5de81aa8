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

#[cfg(test)]
mod tests {
    use super::full_stop;

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
