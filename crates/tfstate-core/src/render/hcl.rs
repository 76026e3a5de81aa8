//! HCL text primitives: the string escape every user value goes through, and the `=` alignment
//! `terraform fmt` applies, so rendered files are already in canonical form.

use unicode_segmentation::UnicodeSegmentation;

/// Escapes `value` for the inside of an HCL quoted string, so Terraform reads back exactly
/// `value`: backslash, quote and control characters become escapes, and the template
/// introducers `${` and `%{` are doubled so they stay literal text.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// `value` as an HCL quoted string literal.
pub fn quote(value: &str) -> String {
    format!("\"{}\"", escape(value))
}

/// Aligns the `=` of consecutive one-line attributes the way `terraform fmt` (hclwrite) does:
/// a run of lines whose `=` is followed by a complete expression forms one group, and every
/// `=` in the group sits one column after the longest name (counted in grapheme clusters).
/// Any other line — blank, a block header, a closing brace, an attribute whose value opens a
/// multi-line expression — ends the group.
pub fn align_attributes(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut group: Vec<(&str, &str)> = Vec::new();
    let flush = |group: &mut Vec<(&str, &str)>, out: &mut Vec<String>| {
        let width = group
            .iter()
            .map(|(lead, _)| lead.graphemes(true).count())
            .max()
            .unwrap_or(0);
        for (lead, rest) in group.drain(..) {
            let pad = width - lead.graphemes(true).count() + 1;
            out.push(format!("{lead}{}= {rest}", " ".repeat(pad)));
        }
    };
    for line in lines {
        match split_attribute(line) {
            Some(parts) => group.push(parts),
            None => {
                flush(&mut group, &mut out);
                out.push(line.to_owned());
            }
        }
    }
    flush(&mut group, &mut out);
    out.join("\n")
}

/// `(name with indentation, value)` when `line` is a one-line attribute `name = value`.
fn split_attribute(line: &str) -> Option<(&str, &str)> {
    let eq = first_assignment(line)?;
    let lead = line[..eq].trim_end();
    let rest = line[eq + 1..].trim_start();
    if lead.trim().is_empty() || rest.is_empty() || bracket_balance(rest) != 0 {
        return None;
    }
    Some((lead, rest))
}

/// Byte index of the first `=` that is an assignment (not `==`, `!=`, `<=`, `>=`, `=>`) and
/// not inside a quoted string.
fn first_assignment(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'#' if !in_string => return None,
            b'=' if !in_string => {
                let prev = i.checked_sub(1).map(|p| bytes[p]);
                let next = bytes.get(i + 1).copied();
                let operator = matches!(prev, Some(b'=' | b'!' | b'<' | b'>')) || matches!(next, Some(b'=' | b'>'));
                if !operator {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Opening minus closing brackets outside quoted strings.
fn bracket_balance(text: &str) -> i32 {
    let mut balance = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' | '(' => balance += 1,
            '}' | ']' | ')' => balance -= 1,
            _ => {}
        }
    }
    balance
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_backslashes_and_control_characters() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape("line\nnext\ttab\r"), r"line\nnext\ttab\r");
        assert_eq!(escape("bell\u{7}del\u{7f}"), r"bell\u0007del\u007f");
        assert_eq!(escape("ünïcode ключ 🦀"), "ünïcode ключ 🦀");
    }

    #[test]
    fn doubles_template_introducers_so_they_stay_literal() {
        assert_eq!(escape("${var.x}"), "$${var.x}");
        assert_eq!(escape("%{if x}"), "%%{if x}");
        assert_eq!(escape("$${x}"), "$$${x}");
        assert_eq!(escape("$ {x} % {y} $x %y"), "$ {x} % {y} $x %y");
        assert_eq!(escape("end$"), "end$");
    }

    #[test]
    fn quotes_a_value() {
        assert_eq!(quote("a\"b"), r#""a\"b""#);
    }

    #[test]
    fn aligns_consecutive_one_line_attributes_like_terraform_fmt() {
        let text = "x {\n  bucket = \"b\"\n  key = \"k\"\n  use_lockfile = true\n\n  a = 1\n}\n";
        assert_eq!(
            align_attributes(text),
            "x {\n  bucket       = \"b\"\n  key          = \"k\"\n  use_lockfile = true\n\n  a = 1\n}\n"
        );
    }

    #[test]
    fn a_multi_line_value_ends_the_group() {
        let text = "  profile = \"p\"\n  assume_role = {\n    role_arn = \"r\"\n  }\n";
        assert_eq!(align_attributes(text), text);
    }

    #[test]
    fn equals_signs_inside_strings_and_quoted_keys_are_not_assignments() {
        let text = "  \"a=b\" = \"x=y\"\n  \"Team Name\" = \"==\"\n";
        assert_eq!(
            align_attributes(text),
            "  \"a=b\"       = \"x=y\"\n  \"Team Name\" = \"==\"\n"
        );
    }

    #[test]
    fn names_are_measured_in_grapheme_clusters() {
        let text = "  \"ключ\" = \"1\"\n  \"abcdef\" = \"2\"\n";
        assert_eq!(align_attributes(text), "  \"ключ\"   = \"1\"\n  \"abcdef\" = \"2\"\n");
    }
}
