//! Delivering the queued e-mails: over SMTP to the relay the platform is configured with
//! (`smtp://host:port`, plain SMTP on a trusted network: TLS and delivery beyond are the relay's
//! job), or to the machine's mail transfer agent through the `sendmail` interface. A message that
//! fails is retried later, at growing intervals.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use lettre::Transport;

use domain::email::Message;

use crate::{App, AppError};

/// Where messages go.
pub trait Mailer: Send + Sync {
    /// Hands one RFC 5322 message over, `from` being the envelope's sender; blocking.
    fn send(&self, from: &str, recipient: &str, message: &str) -> Result<(), String>;
}

/// An SMTP relay.
pub struct Smtp {
    transport: lettre::SmtpTransport,
}

impl Smtp {
    /// `smtp://host[:port]` (port 25 by default).
    pub fn parse(url: &str) -> Result<Smtp, String> {
        let wrong = || format!("« {url} » : adresse de relais attendue sous la forme smtp://hôte:port.");
        let rest = url.trim().strip_prefix("smtp://").ok_or_else(wrong)?.trim_end_matches('/');
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (host, port.parse::<u16>().map_err(|_| wrong())?),
            None => (rest, 25),
        };
        if host.is_empty() || host.contains(['/', '@', '?']) {
            return Err(wrong());
        }
        let transport =
            lettre::SmtpTransport::builder_dangerous(host).port(port).timeout(Some(Duration::from_secs(30))).build();
        Ok(Smtp { transport })
    }
}

impl Mailer for Smtp {
    fn send(&self, from: &str, recipient: &str, message: &str) -> Result<(), String> {
        let address = |a: &str| a.parse::<lettre::Address>().map_err(|e| format!("{a} : {e}"));
        let envelope = lettre::address::Envelope::new(Some(address(from)?), vec![address(recipient)?])
            .map_err(|e| e.to_string())?;
        self.transport.send_raw(&envelope, message.as_bytes()).map(drop).map_err(|e| e.to_string())
    }
}

/// A `sendmail`-compatible command, e.g. `/usr/sbin/sendmail -i`.
pub struct Sendmail {
    pub program: String,
    pub args: Vec<String>,
}

impl Sendmail {
    pub fn parse(command: &str) -> Option<Sendmail> {
        let mut words = command.split_whitespace().map(str::to_string);
        Some(Sendmail { program: words.next()?, args: words.collect() })
    }
}

impl Mailer for Sendmail {
    fn send(&self, _from: &str, recipient: &str, message: &str) -> Result<(), String> {
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .arg("--")
            .arg(recipient)
            .stdin(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{} : {e}", self.program))?;
        child.stdin.take().ok_or("no stdin")?.write_all(message.as_bytes()).map_err(|e| e.to_string())?;
        let status = child.wait().map_err(|e| e.to_string())?;
        if status.success() { Ok(()) } else { Err(format!("{} a échoué ({status})", self.program)) }
    }
}

/// Messages handed over per round.
const ROUND: i64 = 200;

/// The wait before attempt `n + 1` after `n` failures: a minute, doubling, at most six hours.
fn retry_delay(failures: i64) -> jiff::SignedDuration {
    let minutes = 1i64 << failures.clamp(0, 9);
    jiff::SignedDuration::from_mins(minutes.min(360))
}

impl App {
    /// Sends the messages due; one that fails is tried again later (see [`retry_delay`]).
    /// Returns how many were sent.
    pub async fn deliver_emails(&self, mailer: std::sync::Arc<dyn Mailer>, from: &str) -> Result<usize, AppError> {
        let mut sent = 0;
        for email in self.store.due_emails(self.now(), ROUND).await? {
            let message_id = format!("courriel-{}-{}@halle", email.id, email.created_at.as_second());
            let text = Message {
                from,
                to: &email.recipient,
                subject: &email.subject,
                body: &email.body,
                date: email.created_at,
                message_id: &message_id,
                unsubscribe: email.unsubscribe_url.as_deref(),
            }
            .render();
            let outcome = match text {
                Ok(text) => {
                    let (m, from, recipient) = (mailer.clone(), from.to_string(), email.recipient.clone());
                    tokio::task::spawn_blocking(move || m.send(&from, &recipient, &text))
                        .await
                        .unwrap_or_else(|e| Err(format!("tâche d’envoi interrompue : {e}")))
                }
                Err(e) => Err(e),
            };
            let now = self.now();
            let mut tx = self.store.begin().await?;
            match outcome {
                Ok(()) => {
                    tx.mark_email_sent(email.id, now).await?;
                    sent += 1;
                }
                Err(e) => {
                    tracing::warn!(email = email.id, attempts = email.attempts + 1, error = %e, "e-mail not sent, will retry");
                    tx.mark_email_failed(email.id, &e, now + retry_delay(email.attempts)).await?;
                }
            }
            tx.commit().await?;
        }
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sendmail_command_receives_the_message() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.eml");
        let script = dir.path().join("fake-sendmail");
        std::fs::write(&script, format!("#!/bin/sh\necho \"$@\" > {0}.args\ncat > {0}\n", out.display())).unwrap();
        Command::new("chmod").arg("+x").arg(&script).status().unwrap();
        let m = Sendmail::parse(&format!("{} -i", script.display())).unwrap();
        m.send("halle@exemple.fr", "pme@exemple.fr", "Subject: x\r\n\r\ncorps\r\n").unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "Subject: x\r\n\r\ncorps\r\n");
        assert_eq!(std::fs::read_to_string(dir.path().join("out.eml.args")).unwrap().trim(), "-i -- pme@exemple.fr");
        assert!(Sendmail::parse("  ").is_none());
        assert!(Sendmail::parse("/nonexistent/sendmail").unwrap().send("halle@exemple.fr", "a@b.fr", "x").is_err());
    }
}
