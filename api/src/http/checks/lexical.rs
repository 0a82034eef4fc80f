//! A scan of the document's text before it is parsed: the parser and the library's checks
//! descend recursively, so a few kilobytes of `{` or `[` nested thousands deep would exhaust
//! the stack before any limit that works on a parsed document could refuse them.

/// The deepest nesting of `{`, `[` and `(` in `query`, outside strings and comments.
///
/// Linear in the text and allocation-free. It does not validate: an unbalanced document is
/// measured as far as it goes and left to the parser to report.
pub fn nesting(query: &str) -> usize {
    let bytes = query.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'#' => {
                // A comment runs to the end of the line.
                while bytes.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                    i += 1;
                }
                continue;
            }
            b'"' if bytes.get(i..i + 3) == Some(b"\"\"\"") => {
                // A block string ends at the next unescaped `"""`.
                i += 3;
                while i < bytes.len() && bytes.get(i..i + 3) != Some(b"\"\"\"") {
                    i += if bytes.get(i..i + 4) == Some(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 3;
                continue;
            }
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' | b'\n' | b'\r' => break,
                        _ => i += 1,
                    }
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::nesting;

    #[test]
    fn counts_brackets_outside_strings_and_comments() {
        assert_eq!(nesting(""), 0);
        assert_eq!(nesting("{ a }"), 1);
        assert_eq!(nesting("{ a(where: {not: {x: [1]}}) { b } }"), 5);
        assert_eq!(nesting(r#"{ a(s: "{{{{[[[(((") }"#), 2);
        assert_eq!(nesting(r#"{ a(s: "\"{{{{") }"#), 2);
        assert_eq!(nesting("{ a(s: \"\"\"{{{ \\\"\"\" {{{\"\"\") }"), 2);
        assert_eq!(nesting("# {{{{{{\n{ a }"), 1);
        assert_eq!(nesting("}}}}{"), 1);
        let deep = format!("{}{}", "{".repeat(5000), "}".repeat(5000));
        assert_eq!(nesting(&deep), 5000);
    }
}
