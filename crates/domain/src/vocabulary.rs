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
    };
}
