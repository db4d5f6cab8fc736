//! Short texts typed by people: names, labels, slugs.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("may only contain lowercase letters, digits and '-', and must start with a letter")]
    BadSlug,
    #[error("must not contain control characters")]
    Control,
}

fn clean(raw: &str, max: usize) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    if trimmed.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    if trimmed.chars().any(char::is_control) {
        return Err(TextError::Control);
    }
    Ok(trimmed.to_owned())
}

/// An optional text of at most `max` characters: trimmed, `None` when absent or blank.
pub fn optional(raw: Option<&str>, max: usize) -> Result<Option<String>, TextError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => clean(s, max).map(Some),
    }
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            /// Trims surrounding whitespace and checks length and characters.
            pub fn parse(raw: &str) -> Result<Self, TextError> {
                clean(raw, Self::MAX_CHARS).map(Self)
            }

            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            #[must_use]
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// A person's, firm's, bundle's or compound's name (1–100 characters after trimming).
    Name,
    100
);
text_type!(
    /// A building, unit or room label such as `3栋`, `2单元`, `301` (1–20 characters).
    Label,
    20
);
text_type!(
    /// A free-text note or address (1–500 characters).
    LongText,
    500
);
text_type!(
    /// A text put to the owners or published to them, such as a motion (1–4000 characters).
    Document,
    4000
);

/// A tenant's short URL-safe handle, e.g. `demo`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(TextError::Empty);
        }
        if s.len() > 40 {
            return Err(TextError::TooLong { max: 40 });
        }
        let ok_start = s.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok_start || !ok_chars {
            return Err(TextError::BadSlug);
        }
        Ok(Self(s.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            Name::parse("  国泰花园 ").map(Name::into_inner),
            Ok("国泰花园".into())
        );
        assert_eq!(Name::parse("   "), Err(TextError::Empty));
        assert_eq!(
            Name::parse(&"长".repeat(101)),
            Err(TextError::TooLong { max: 100 })
        );
        assert!(Name::parse(&"长".repeat(100)).is_ok());
        assert_eq!(Name::parse("a\u{0}b"), Err(TextError::Control));
    }

    #[test]
    fn an_optional_text_is_none_when_blank_and_bounded_when_given() {
        assert_eq!(optional(None, 5), Ok(None));
        assert_eq!(optional(Some("  "), 5), Ok(None));
        assert_eq!(optional(Some(" 1栋 "), 5), Ok(Some("1栋".into())));
        assert_eq!(
            optional(Some("123456"), 5),
            Err(TextError::TooLong { max: 5 })
        );
    }

    #[test]
    fn slugs_are_lowercase_handles() {
        assert!(Slug::parse("demo").is_ok());
        assert!(Slug::parse("rival-2").is_ok());
        assert_eq!(Slug::parse("Demo"), Err(TextError::BadSlug));
        assert_eq!(Slug::parse("2demo"), Err(TextError::BadSlug));
        assert_eq!(Slug::parse("de mo"), Err(TextError::BadSlug));
    }

    proptest! {
        #[test]
        fn a_parsed_name_is_never_blank_nor_over_long(s in "\\PC{0,120}") {
            if let Ok(n) = Name::parse(&s) {
                prop_assert!(!n.as_str().trim().is_empty());
                prop_assert!(n.as_str().chars().count() <= Name::MAX_CHARS);
                prop_assert_eq!(n.as_str(), n.as_str().trim());
            }
        }
    }
}
