//! An e-mail as RFC 5322 text (UTF-8 body, encoded-word subject), ready for a mail transfer
//! agent.

use jiff::Timestamp;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A header value that may hold any character: ASCII as is, anything else as an encoded word.
fn header_text(s: &str) -> String {
    let clean: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if clean.is_ascii() { clean } else { format!("=?UTF-8?B?{}?=", base64(clean.as_bytes())) }
}

/// An address goes into a header only if it cannot smuggle another header in.
fn address(s: &str) -> Result<&str, String> {
    if s.is_empty() || s.contains(|c: char| c.is_control() || c.is_whitespace() || c == ',' || c == '<' || c == '>') {
        Err(format!("adresse invalide : {s:?}"))
    } else {
        Ok(s)
    }
}

pub struct Message<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub date: Timestamp,
    /// Unique per message, e.g. `courriel-42@halle`.
    pub message_id: &'a str,
    /// An alert's one-click unsubscribe address (RFC 8058): mail clients show an unsubscribe
    /// button that posts to it.
    pub unsubscribe: Option<&'a str>,
}

impl Message<'_> {
    pub fn render(&self) -> Result<String, String> {
        let body = self.body.replace("\r\n", "\n").replace('\n', "\r\n");
        let unsubscribe = match self.unsubscribe {
            Some(url) => format!(
                "List-Unsubscribe: <{}>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
                address(url)?
            ),
            None => String::new(),
        };
        Ok(format!(
            "From: Halle <{}>\r\nTo: <{}>\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: <{}>\r\n{unsubscribe}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
            address(self.from)?,
            address(self.to)?,
            header_text(self.subject),
            self.date.strftime("%a, %d %b %Y %H:%M:%S +0000"),
            address(self.message_id)?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64("é".as_bytes()), "w6k=");
    }

    #[test]
    fn renders_a_message() {
        let m = Message {
            from: "ne-pas-repondre@halle.example",
            to: "pme@exemple.fr",
            subject: "Avis rectificatif — 2026-0001-00001",
            body: "Bonjour,\nLa consultation a changé.",
            date: Timestamp::from_second(0).unwrap(),
            message_id: "courriel-1@halle",
            unsubscribe: None,
        };
        let text = m.render().unwrap();
        assert!(text.contains("To: <pme@exemple.fr>\r\n"));
        assert!(text.contains("Subject: =?UTF-8?B?"));
        assert!(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
        assert!(text.ends_with("Bonjour,\r\nLa consultation a changé.\r\n"));
        assert!(!text.contains("List-Unsubscribe"));
        let alert = Message { unsubscribe: Some("https://halle.example/veille/desabonnement/ab12"), ..m };
        let text = alert.render().unwrap();
        assert!(text.contains("List-Unsubscribe: <https://halle.example/veille/desabonnement/ab12>\r\n"));
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
        let smuggled = Message { unsubscribe: Some("https://x.example/a\r\nBcc: tous@exemple.fr"), ..m };
        assert!(smuggled.render().is_err());
    }

    #[test]
    fn refuses_header_injection() {
        let m = Message {
            from: "a@b.fr",
            to: "x@y.fr\r\nBcc: victime@z.fr",
            subject: "s",
            body: "b",
            date: Timestamp::from_second(0).unwrap(),
            message_id: "m@h",
            unsubscribe: None,
        };
        assert!(m.render().is_err());
    }
}
