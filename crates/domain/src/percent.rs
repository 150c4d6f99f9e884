//! Percentages as people type them (`20`, `5,5`, `12.75 %`), kept as integer basis points so
//! that no float enters an amount or an hour count.

/// `what` names the rate in the message, with its article: "le taux d’avance".
pub fn basis_points(text: &str, what: &str) -> Result<u16, String> {
    let err = || format!("« {} » : {what} est un pourcentage entre 0 et 100, par exemple 20 ou 5,5.", text.trim());
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || whole.len() > 3
        || frac.len() > 2
        || !(whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()))
    {
        return Err(err());
    }
    let whole: u32 = whole.parse().map_err(|_| err())?;
    let frac: u32 = format!("{frac:0<2}").parse().map_err(|_| err())?;
    let bp = whole * 100 + frac;
    if bp > 10_000 { Err(err()) } else { u16::try_from(bp).map_err(|_| err()) }
}

/// `5 %`, `12,5 %`, `0,75 %`: basis points shown the French way.
pub fn format(bp: u16) -> String {
    let (whole, frac) = (bp / 100, bp % 100);
    match frac {
        0 => format!("{whole}\u{a0}%"),
        f if f % 10 == 0 => format!("{whole},{}\u{a0}%", f / 10),
        f => format!("{whole},{f:02}\u{a0}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(basis_points("5,5 %", "le taux"), Ok(550));
        assert_eq!(basis_points("100", "le taux"), Ok(10_000));
        assert_eq!(basis_points("12.75", "le taux"), Ok(1275));
        for bad in ["101", "abc", "-5", "1.234", ""] {
            assert!(basis_points(bad, "le taux").unwrap_err().contains("le taux est un pourcentage"), "{bad}");
        }
        assert_eq!(format(500), "5\u{a0}%");
        assert_eq!(format(550), "5,5\u{a0}%");
        assert_eq!(format(1275), "12,75\u{a0}%");
    }
}
