//! A streamed ZIP of stored files. Sizes and CRC-32s are known from upload time, so each
//! entry is written "stored" (no compression: most DCE files are PDFs or already-compressed
//! office files) with its header complete up front, and the archive's total length is known
//! before the first byte is sent.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::{Vault, VaultError};

#[derive(Debug, Clone)]
pub struct ZipEntry {
    /// Name inside the archive (already unique and sanitised).
    pub name: String,
    pub key: String,
    pub size: u64,
    pub crc32: u32,
    pub modified: Timestamp,
}

/// Archives over 4 GiB would need ZIP64; the caller offers files one by one instead.
pub const MAX_ARCHIVE: u64 = u32::MAX as u64;

const LOCAL_HEADER: u64 = 30;
const CENTRAL_HEADER: u64 = 46;
const END_RECORD: u64 = 22;
/// General-purpose flag bit 11: names are UTF-8.
const UTF8_FLAG: u16 = 1 << 11;

/// The exact number of bytes `write_zip` produces, or `None` if over [`MAX_ARCHIVE`].
pub fn archive_len(entries: &[ZipEntry]) -> Option<u64> {
    let total: u64 =
        entries.iter().map(|e| LOCAL_HEADER + CENTRAL_HEADER + 2 * e.name.len() as u64 + e.size).sum::<u64>()
            + END_RECORD;
    (total <= MAX_ARCHIVE && entries.len() < usize::from(u16::MAX)).then_some(total)
}

fn dos_time(ts: Timestamp) -> (u16, u16) {
    let z = ts.to_zoned(TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC));
    let year = u16::try_from(z.year().clamp(1980, 2107) - 1980).unwrap_or(0);
    let date = (year << 9) | ((z.month() as u16) << 5) | z.day() as u16;
    let time = ((z.hour() as u16) << 11) | ((z.minute() as u16) << 5) | (z.second() as u16 / 2);
    (date, time)
}

fn header(signature: u32, e: &ZipEntry, offset: Option<u32>) -> Vec<u8> {
    let (date, time) = dos_time(e.modified);
    let size = u32::try_from(e.size).unwrap_or(u32::MAX);
    let name_len = u16::try_from(e.name.len()).unwrap_or(u16::MAX);
    let mut h = Vec::with_capacity(64 + e.name.len());
    h.extend_from_slice(&signature.to_le_bytes());
    if offset.is_some() {
        h.extend_from_slice(&20u16.to_le_bytes()); // version made by
    }
    h.extend_from_slice(&20u16.to_le_bytes()); // version needed
    h.extend_from_slice(&UTF8_FLAG.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes()); // stored
    h.extend_from_slice(&time.to_le_bytes());
    h.extend_from_slice(&date.to_le_bytes());
    h.extend_from_slice(&e.crc32.to_le_bytes());
    h.extend_from_slice(&size.to_le_bytes());
    h.extend_from_slice(&size.to_le_bytes());
    h.extend_from_slice(&name_len.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    if let Some(offset) = offset {
        h.extend_from_slice(&0u16.to_le_bytes()); // comment length
        h.extend_from_slice(&0u16.to_le_bytes()); // disk number
        h.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        h.extend_from_slice(&offset.to_le_bytes());
    }
    h.extend_from_slice(e.name.as_bytes());
    h
}

/// Writes the archive to `out`, reading each file from the vault as it goes.
pub async fn write_zip(
    vault: &Vault,
    entries: &[ZipEntry],
    out: &mut (impl AsyncWrite + Unpin),
) -> Result<(), VaultError> {
    if archive_len(entries).is_none() {
        return Err(VaultError::TooLarge { limit: MAX_ARCHIVE });
    }
    let mut offsets = Vec::with_capacity(entries.len());
    let mut offset: u64 = 0;
    for e in entries {
        offsets.push(u32::try_from(offset).map_err(|_| VaultError::TooLarge { limit: MAX_ARCHIVE })?);
        let h = header(0x0403_4b50, e, None);
        out.write_all(&h).await?;
        let mut file = vault.open_file(&e.key).await?;
        let copied = tokio::io::copy(&mut file, out).await?;
        if copied != e.size {
            return Err(VaultError::Io(std::io::Error::other("stored file changed size")));
        }
        offset += h.len() as u64 + e.size;
    }
    let central_start = offset;
    let mut central = Vec::new();
    for (e, off) in entries.iter().zip(offsets) {
        central.extend_from_slice(&header(0x0201_4b50, e, Some(off)));
    }
    let count = u16::try_from(entries.len()).unwrap_or(u16::MAX);
    let mut end = Vec::with_capacity(22);
    end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes());
    end.extend_from_slice(&count.to_le_bytes());
    end.extend_from_slice(&count.to_le_bytes());
    end.extend_from_slice(&u32::try_from(central.len()).unwrap_or(u32::MAX).to_le_bytes());
    end.extend_from_slice(&u32::try_from(central_start).unwrap_or(u32::MAX).to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes());
    out.write_all(&central).await?;
    out.write_all(&end).await?;
    out.flush().await?;
    Ok(())
}

/// Makes names unique inside one archive: `CCTP.pdf`, `CCTP (2).pdf`…
pub fn unique_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let mut candidate = name.to_string();
            let mut n = 2;
            while !seen.insert(candidate.to_lowercase()) {
                candidate = match name.rsplit_once('.') {
                    Some((stem, ext)) => format!("{stem} ({n}).{ext}"),
                    None => format!("{name} ({n})"),
                };
                n += 1;
            }
            candidate
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn archive_is_readable_by_unzip() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(dir.path().join("v")).await.unwrap();
        let mut entries = Vec::new();
        for (name, body) in [("Règlement de consultation.txt", "RC"), ("CCTP.txt", "cahier des charges")] {
            let f = vault.put(body.as_bytes(), 1000).await.unwrap();
            entries.push(ZipEntry {
                name: name.into(),
                key: f.key,
                size: f.size,
                crc32: f.crc32,
                modified: Timestamp::from_second(1_780_000_000).unwrap(),
            });
        }
        let mut out = Vec::new();
        write_zip(&vault, &entries, &mut out).await.unwrap();
        assert_eq!(out.len() as u64, archive_len(&entries).unwrap());
        let path = dir.path().join("dce.zip");
        std::fs::write(&path, &out).unwrap();
        // Python's zipfile checks CRCs, sizes and the central directory.
        let check = std::process::Command::new("python3")
            .args(["-c", "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print('|'.join(n+'='+z.read(n).decode() for n in z.namelist()))"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
        assert_eq!(
            String::from_utf8(check.stdout).unwrap().trim(),
            "Règlement de consultation.txt=RC|CCTP.txt=cahier des charges"
        );
    }

    #[test]
    fn names_are_made_unique() {
        assert_eq!(unique_names(["a.pdf", "A.pdf", "a.pdf", "b"]), vec!["a.pdf", "A (2).pdf", "a (3).pdf", "b"]);
    }
}
