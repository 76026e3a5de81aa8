//! Reading what `terraform init` printed, so the app can show the error before the log and
//! offer the way out: the first error block, and whether init stopped because the backend
//! changed (then the person chooses `-migrate-state` or `-reconfigure`).
//!
//! Terraform prints each diagnostic as `Error: <summary>`, a blank line and the detail. In a
//! terminal it draws a box around it (`╷`, `│ `, `╵`); with `-no-color` it does not. Both are read.

/// The most lines of an error block kept for the summary; the whole output stays in the log.
const MAX_LINES: usize = 30;

/// The first `Error:` block: its summary line and detail, box drawing removed, trailing blank
/// lines trimmed. `None` when the output holds no error.
pub fn first_error(output: &str) -> Option<String> {
    let start = output
        .lines()
        .map(unboxed)
        .position(|line| line.starts_with("Error: "))?;
    let mut block: Vec<&str> = Vec::new();
    for (index, line) in output.lines().enumerate().skip(start) {
        let boxed_end = line.trim_start().starts_with('╵');
        let text = unboxed(line);
        let next_diagnostic = index > start && (text.starts_with("Error: ") || text.starts_with("Warning: "));
        if boxed_end || next_diagnostic || block.len() == MAX_LINES {
            break;
        }
        block.push(text);
    }
    while block.last().is_some_and(|line| line.trim().is_empty()) {
        block.pop();
    }
    Some(block.join("\n"))
}

/// Whether init stopped because the backend configuration changed since the last init: the
/// state must then be copied (`-migrate-state`) or left behind (`-reconfigure`).
pub fn backend_changed(output: &str) -> bool {
    output.lines().map(unboxed).any(|line| {
        line.starts_with("Error: Backend configuration changed")
            || line.starts_with("Error: Backend configuration block has changed")
    })
}

/// A line without the box Terraform draws around a diagnostic in a terminal.
fn unboxed(line: &str) -> &str {
    let trimmed = line.trim_end();
    if let Some(rest) = trimmed.strip_prefix("│") {
        return rest.strip_prefix(' ').unwrap_or(rest);
    }
    match trimmed {
        "╷" | "╵" => "",
        _ => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Terraform 1.15 prints with `-no-color` when the backend block changed.
    const CHANGED: &str = "Initializing the backend...\n\
Error: Backend configuration changed\n\
\n\
A change in the backend configuration has been detected, which may require\n\
migrating existing state.\n\
\n\
If you wish to attempt automatic migration of the state, use \"terraform init\n\
-migrate-state\".\n\
If you wish to store the current configuration with no changes to the state,\n\
use \"terraform init -reconfigure\".\n\
\n";

    #[test]
    fn the_first_error_is_its_summary_and_detail() {
        let error = first_error(CHANGED).expect("an error");
        assert!(
            error.starts_with("Error: Backend configuration changed\n\nA change in the backend"),
            "{error}"
        );
        assert!(error.ends_with("use \"terraform init -reconfigure\"."), "{error}");
        assert!(backend_changed(CHANGED));
    }

    #[test]
    fn a_boxed_error_loses_its_box_and_stops_at_its_end() {
        let output = "Initializing the backend...\n\
╷\n\
│ Error: Failed to get existing workspaces: operation error S3: ListObjectsV2, StatusCode: 403\n\
│ \n\
│ AccessDenied\n\
╵\n\
╷\n\
│ Error: second\n\
╵\n";
        assert_eq!(
            first_error(output).as_deref(),
            Some("Error: Failed to get existing workspaces: operation error S3: ListObjectsV2, StatusCode: 403\n\nAccessDenied")
        );
        assert!(!backend_changed(output));
    }

    #[test]
    fn a_plain_error_stops_at_the_next_diagnostic() {
        let output = "Error: one\n\nfirst detail\nWarning: two\n\nmore\n";
        assert_eq!(first_error(output).as_deref(), Some("Error: one\n\nfirst detail"));
    }

    #[test]
    fn output_without_an_error_has_none() {
        let output = "Initializing the backend...\n\nSuccessfully configured the backend \"s3\"!\nTerraform has been successfully initialized!\n";
        assert_eq!(first_error(output), None);
        assert!(!backend_changed(output));
    }

    #[test]
    fn a_long_error_is_cut_to_its_first_lines() {
        let output = format!("Error: long\n{}", "detail\n".repeat(100));
        assert_eq!(first_error(&output).expect("an error").lines().count(), MAX_LINES);
    }
}
