//! How people are reached and identified: e-mail, phone, and the masked ID-card number.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("is not an e-mail address")]
    BadEmail,
    #[error("is not a phone number (digits, optionally starting with +, 5–20 long)")]
    BadPhone,
    #[error("must be an e-mail address or a phone number")]
    BadIdentifier,
    #[error("is not an 18-character resident ID number")]
    BadIdNumber,
}

/// An e-mail address, lower-cased. Checked for shape only; ownership is not verified here.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let s = raw.trim().to_lowercase();
        let (local, domain) = s.split_once('@').ok_or(ContactError::BadEmail)?;
        let ok = !local.is_empty()
            && s.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains('@');
        if ok {
            Ok(Self(s))
        } else {
            Err(ContactError::BadEmail)
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number, kept as digits with an optional leading `+` (spaces and dashes dropped).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let trimmed = raw.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => ("+", rest),
            None => ("", trimmed),
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' => {}
                _ => return Err(ContactError::BadPhone),
            }
        }
        if !(5..=20).contains(&digits.len()) {
            return Err(ContactError::BadPhone);
        }
        Ok(Self(format!("{plus}{digits}")))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`: what staff lists and public pages may show.
    #[must_use]
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        let n = chars.len();
        let keep_head = 3.min(n);
        let keep_tail = 4.min(n.saturating_sub(keep_head));
        let mut out: String = chars[..keep_head].iter().collect();
        out.extend(std::iter::repeat_n('*', n - keep_head - keep_tail));
        out.extend(&chars[n - keep_tail..]);
        out
    }
}

/// What a person logs in with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Identifier {
    Email(Email),
    Phone(Phone),
}

impl Identifier {
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        if raw.contains('@') {
            Email::parse(raw).map(Self::Email)
        } else {
            Phone::parse(raw)
                .map(Self::Phone)
                .map_err(|_| ContactError::BadIdentifier)
        }
    }

    /// The normalised form used as the lookup key.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Email(e) => e.as_str(),
            Self::Phone(p) => p.as_str(),
        }
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resident ID number (居民身份证号) reduced to its masked form, e.g. `450***********123X`.
///
/// The full number is personal information Courtyard has no need to keep: it is checked for
/// shape (17 digits and a digit or `X`, with a valid check digit) and only the mask is stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdNumberMasked(String);

impl IdNumberMasked {
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let s = raw.trim().to_uppercase();
        let bytes = s.as_bytes();
        if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
            return Err(ContactError::BadIdNumber);
        }
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const CHECK: &[u8; 11] = b"10X98765432";
        let sum: u32 = bytes[..17]
            .iter()
            .zip(WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        let expected = CHECK[(sum % 11) as usize];
        if bytes[17] != expected {
            return Err(ContactError::BadIdNumber);
        }
        Ok(Self(format!("{}{}{}", &s[..3], "*".repeat(11), &s[14..])))
    }

    /// Reads a mask back from storage.
    #[must_use]
    pub fn from_stored(masked: String) -> Self {
        Self(masked)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            Email::parse(" Admin@Demo.Test ").map(|e| e.as_str().to_owned()),
            Ok("admin@demo.test".into())
        );
        for bad in ["", "a", "a@b", "@b.c", "a@.c", "a b@c.d", "a@b.c."] {
            assert_eq!(Email::parse(bad), Err(ContactError::BadEmail), "{bad}");
        }
    }

    #[test]
    fn phones_keep_digits_only_and_mask() {
        let p = Phone::parse("138-0013 8000").map_err(|e| e.to_string());
        assert_eq!(p.as_ref().map(Phone::as_str), Ok("13800138000"));
        assert_eq!(p.map(|p| p.masked()), Ok("138****8000".into()));
        assert_eq!(Phone::parse("12a45"), Err(ContactError::BadPhone));
        assert_eq!(Phone::parse("1234"), Err(ContactError::BadPhone));
    }

    #[test]
    fn identifiers_choose_by_shape() {
        assert!(matches!(
            Identifier::parse("x@y.cn"),
            Ok(Identifier::Email(_))
        ));
        assert!(matches!(
            Identifier::parse("13800138000"),
            Ok(Identifier::Phone(_))
        ));
        assert_eq!(Identifier::parse("hello"), Err(ContactError::BadIdentifier));
    }

    #[test]
    fn id_numbers_are_checked_then_masked() {
        // A well-formed number from the national standard's worked example.
        assert_eq!(
            IdNumberMasked::parse("11010519491231002X").map(|m| m.as_str().to_owned()),
            Ok("110***********002X".into())
        );
        assert_eq!(
            IdNumberMasked::parse("110105194912310021"),
            Err(ContactError::BadIdNumber)
        );
        assert_eq!(
            IdNumberMasked::parse("12345"),
            Err(ContactError::BadIdNumber)
        );
    }
}
