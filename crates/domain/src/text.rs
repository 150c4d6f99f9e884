/// Control characters other than line breaks and tabs have no place in what people type,
/// and some databases refuse them (PostgreSQL and NUL).
fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Trims a required text field and checks its length (in characters).
pub fn required(value: &str, label: &str, max: usize) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("{label} est obligatoire."));
    }
    if has_control(v) {
        return Err(format!("{label} contient des caractères invisibles non autorisés."));
    }
    if v.chars().count() > max {
        return Err(format!("{label} ne doit pas dépasser {max} caractères."));
    }
    Ok(v.to_string())
}

/// Trims an optional text field; empty means absent.
pub fn optional(value: Option<&str>, label: &str, max: usize) -> Result<Option<String>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => required(v, label, max).map(Some),
    }
}

/// A light e-mail check: one `@`, something on each side, a dot in the domain, no spaces.
pub fn email(value: &str) -> Result<String, String> {
    let v = value.trim().to_lowercase();
    let ok = v.len() <= 254
        && !v.contains(char::is_whitespace)
        && !has_control(&v)
        && match v.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }
            None => false,
        };
    if ok { Ok(v) } else { Err("L’adresse e-mail n’est pas valide (exemple : nom@exemple.fr).".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email(" A@B.fr ").unwrap(), "a@b.fr");
        for bad in ["", "a", "a@b", "a@@b.fr", "a b@c.fr", "@b.fr", "a@.fr"] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lengths() {
        assert!(required("  ", "Le titre", 10).is_err());
        assert!(required("abcdefghijk", "Le titre", 10).is_err());
        assert_eq!(required(" é ", "Le titre", 1).unwrap(), "é");
        assert_eq!(optional(Some(" "), "x", 3).unwrap(), None);
        assert!(required("a\u{0}b", "Le titre", 10).is_err());
        assert_eq!(required("ligne 1\nligne 2", "L’objet", 100).unwrap(), "ligne 1\nligne 2");
        assert!(email("a\u{0}@b.fr").is_err());
    }
}

/// A file name safe to store and to send back: no folders, no control or reserved
/// characters, no leading dots, at most 180 characters (extension kept).
pub fn file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .map(|c| if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        return "document".into();
    }
    if cleaned.chars().count() <= 180 {
        return cleaned;
    }
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((s, e)) if e.chars().count() <= 10 => (s.to_string(), format!(".{e}")),
        _ => (cleaned.clone(), String::new()),
    };
    let keep = 180 - ext.chars().count();
    format!("{}{ext}", stem.chars().take(keep).collect::<String>())
}

#[cfg(test)]
mod file_name_tests {
    use super::file_name;

    #[test]
    fn sanitises() {
        assert_eq!(file_name("../../etc/passwd"), "passwd");
        assert_eq!(file_name("C:\\Users\\x\\RC.pdf"), "RC.pdf");
        assert_eq!(file_name(".htaccess"), "htaccess");
        assert_eq!(file_name("a\u{0}b?.pdf"), "a_b_.pdf");
        assert_eq!(file_name(""), "document");
        assert_eq!(file_name(".."), "document");
        let long = format!("{}.pdf", "é".repeat(300));
        let f = file_name(&long);
        assert_eq!(f.chars().count(), 180);
        assert!(f.ends_with(".pdf"));
        assert_eq!(file_name("CCAP – lot n°1.pdf"), "CCAP – lot n°1.pdf");
    }
}
