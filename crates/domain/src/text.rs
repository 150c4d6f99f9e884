/// Trims a required text field and checks its length (in characters).
pub fn required(value: &str, label: &str, max: usize) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("{label} est obligatoire."));
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
    if ok {
        Ok(v)
    } else {
        Err("L’adresse e-mail n’est pas valide (exemple : nom@exemple.fr).".into())
    }
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
    }
}
