//! Just enough JSON reading for the benchmark: the value of one top-level field.

/// The value of top-level field `key` of a JSON object: a string's content (unescaped) or the raw
/// text of any other value.
pub fn field(json: &str, key: &str) -> Option<String> {
    let mut p = Parser { bytes: json.as_bytes(), at: 0 };
    p.expect(b'{')?;
    if p.peek()? == b'}' {
        return None;
    }
    loop {
        let name = p.string()?;
        p.expect(b':')?;
        p.skip_ws();
        let start = p.at;
        if name == key {
            return if p.peek()? == b'"' {
                p.string()
            } else {
                p.value()?;
                Some(json[start..p.at].trim().to_string())
            };
        }
        p.value()?;
        match p.next_token()? {
            b',' => {}
            _ => return None,
        }
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.at).copied()
    }

    fn next_token(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next_token()? == byte).then_some(())
    }

    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let escaped = *self.bytes.get(self.at)?;
                    self.at += 1;
                    match escaped {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = std::str::from_utf8(self.bytes.get(self.at..self.at + 4)?);
                            let code = u32::from_str_radix(hex.ok()?, 16).ok()?;
                            self.at += 4;
                            let c = char::from_u32(code).unwrap_or('\u{fffd}');
                            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    /// Skips one value of any kind.
    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => depth -= 1,
                        _ => {}
                    }
                    self.at += 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
            }
            _ => {
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.at += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn reads_top_level_fields_only() {
        let json = r#"{"organisation": {"id": 7, "name": "a\"b"}, "lots": [{"id": 8}],
                       "id": "c0ffee", "total": 1030, "ok": true, "title": "Voirie \u00e0 \"Bondy\""}"#;
        assert_eq!(field(json, "id").as_deref(), Some("c0ffee"));
        assert_eq!(field(json, "total").as_deref(), Some("1030"));
        assert_eq!(field(json, "ok").as_deref(), Some("true"));
        assert_eq!(field(json, "title").as_deref(), Some("Voirie à \"Bondy\""));
        assert_eq!(field(json, "lots").as_deref(), Some(r#"[{"id": 8}]"#));
        assert_eq!(field(json, "name"), None);
        assert_eq!(field(json, "missing"), None);
    }

    #[test]
    fn numeric_id_and_empty_object() {
        assert_eq!(field(r#"{"id":42}"#, "id").as_deref(), Some("42"));
        assert_eq!(field("{}", "id"), None);
        assert_eq!(field("not json", "id"), None);
    }
}
