//! Closed vocabularies: each value has a stable code (API, database) and a French label.

/// Declares a closed vocabulary: code (stable, in the API and the database) and French label;
/// `parse` accepts either.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident, $what:literal { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(code: &str) -> Result<Self, String> {
                let code = code.trim();
                Self::ALL.iter().copied().find(|v| v.code() == code || v.label() == code).ok_or_else(|| {
                    let all: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                    format!(concat!("« {} » : valeur inconnue pour « ", $what, " ». Valeurs possibles : {}."), code, all.join(", "))
                })
            }
        }

        impl $crate::vocabulary::Vocabulary for $name {
            fn parse(code: &str) -> Result<Self, String> {
                $name::parse(code)
            }

            fn label(self) -> &'static str {
                $name::label(self)
            }
        }
    };
}

/// What [`parse_set`] needs of a vocabulary.
pub(crate) trait Vocabulary: Copy + PartialEq {
    fn parse(code: &str) -> Result<Self, String>;
    fn label(self) -> &'static str;
}

/// A set of checked values (duplicates dropped, empty entries ignored), errors under `field`.
/// `none` is the value meaning "none of these": it cannot be ticked with another, and it is what
/// an empty set becomes.
pub(crate) fn parse_set<T: Vocabulary>(
    e: &mut crate::FieldErrors,
    field: &str,
    values: &[String],
    none: Option<T>,
) -> Vec<T> {
    let mut out = Vec::new();
    for v in values.iter().filter(|v| !v.trim().is_empty()) {
        if let Some(c) = e.check(field, T::parse(v))
            && !out.contains(&c)
        {
            out.push(c);
        }
    }
    if let Some(none) = none {
        if out.len() > 1 && out.contains(&none) {
            e.push(field, format!("« {} » exclut toute autre valeur.", none.label()));
        }
        if out.is_empty() {
            out.push(none);
        }
    }
    out
}
