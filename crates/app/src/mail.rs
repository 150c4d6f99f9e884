//! Delivering the queued e-mails. The portal hands each message to the machine's mail
//! transfer agent through the `sendmail` interface (Postfix, Exim, msmtp… all provide it),
//! which owns retries, TLS and relaying.

use std::io::Write;
use std::process::{Command, Stdio};

use domain::email::Message;

use crate::{App, AppError};

/// Where messages go.
pub trait Mailer: Send + Sync {
    /// Hands one RFC 5322 message over; blocking.
    fn send(&self, recipient: &str, message: &str) -> Result<(), String>;
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
    fn send(&self, recipient: &str, message: &str) -> Result<(), String> {
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

impl App {
    /// Sends what is queued; a message that fails stays queued for the next round. Returns how
    /// many were sent.
    pub async fn deliver_emails(&self, mailer: std::sync::Arc<dyn Mailer>, from: &str) -> Result<usize, AppError> {
        let mut sent = 0;
        for email in self.store.unsent_emails().await? {
            let message_id = format!("courriel-{}-{}@halle", email.id, email.created_at.as_second());
            let text = Message {
                from,
                to: &email.recipient,
                subject: &email.subject,
                body: &email.body,
                date: email.created_at,
                message_id: &message_id,
            }
            .render();
            let text = match text {
                Ok(t) => t,
                Err(e) => {
                    tracing::warn!(email = email.id, error = %e, "undeliverable e-mail left in the queue");
                    continue;
                }
            };
            let m = mailer.clone();
            let recipient = email.recipient.clone();
            match tokio::task::spawn_blocking(move || m.send(&recipient, &text)).await {
                Ok(Ok(())) => {
                    let mut tx = self.store.begin().await?;
                    tx.mark_email_sent(email.id, self.now()).await?;
                    tx.commit().await?;
                    sent += 1;
                }
                Ok(Err(e)) => tracing::warn!(email = email.id, error = %e, "e-mail not sent, will retry"),
                Err(e) => tracing::warn!(email = email.id, error = %e, "e-mail task failed"),
            }
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
        m.send("pme@exemple.fr", "Subject: x\r\n\r\ncorps\r\n").unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "Subject: x\r\n\r\ncorps\r\n");
        assert_eq!(std::fs::read_to_string(dir.path().join("out.eml.args")).unwrap().trim(), "-i -- pme@exemple.fr");
        assert!(Sendmail::parse("  ").is_none());
        assert!(Sendmail::parse("/nonexistent/sendmail").unwrap().send("a@b.fr", "x").is_err());
    }
}
