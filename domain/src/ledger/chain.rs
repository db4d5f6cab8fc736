//! The hash chain that makes tampering evident, and the check that recomputes a tenant's
//! ledger from what is stored: one place for both, so the text an entry is hashed over when
//! it is written is the text it is checked against.

use std::collections::HashMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::money::Money;

/// The hash before a tenant's first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 over the previous hash and an entry's canonical text, in lowercase hex: changing,
/// removing or reordering any stored entry breaks every hash after it.
#[must_use]
pub fn chain_hash(previous: &str, canonical: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    let mut out = String::with_capacity(64);
    for b in h.finalize() {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

/// Everything about a stored entry that the hash chain protects.
#[derive(Debug, Clone)]
pub struct ChainRecord<'a> {
    pub seq: i64,
    pub id: Uuid,
    pub compound: Uuid,
    pub kind: &'a str,
    pub occurred_micros: i64,
    pub recorded_micros: i64,
    pub idempotency_key: &'a str,
    pub actor: Option<Uuid>,
    pub reverses: Option<Uuid>,
    pub memo: &'a str,
    /// (account id, amount in fen), in any order: the text sorts them.
    pub postings: Vec<(Uuid, i64)>,
}

impl ChainRecord<'_> {
    /// The canonical text hashed into the chain. Free-text fields are length-prefixed so no
    /// choice of memo or key can make two different entries read the same.
    #[must_use]
    pub fn canonical(mut self) -> String {
        let mut out = String::new();
        self.write_canonical(&mut out);
        out
    }

    /// Writes the canonical text into `out` (cleared first), sorting the postings in place.
    pub fn write_canonical(&mut self, out: &mut String) {
        fn uuid(out: &mut String, u: Uuid) {
            out.push_str(u.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
        }
        fn opt(out: &mut String, u: Option<Uuid>) {
            match u {
                Some(u) => uuid(out, u),
                None => out.push('-'),
            }
        }
        self.postings.sort_unstable();
        out.clear();
        // Writing into a String cannot fail.
        let _ = write!(out, "v1|{}|", self.seq);
        uuid(out, self.id);
        out.push('|');
        uuid(out, self.compound);
        let _ = write!(
            out,
            "|{}|{}|{}|{}:{}|",
            self.kind,
            self.occurred_micros,
            self.recorded_micros,
            self.idempotency_key.len(),
            self.idempotency_key
        );
        opt(out, self.actor);
        out.push('|');
        opt(out, self.reverses);
        let _ = write!(out, "|{}:{}|", self.memo.len(), self.memo);
        for (i, (account, amount)) in self.postings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            uuid(out, *account);
            let _ = write!(out, ":{amount}");
        }
    }
}

/// What verifying one tenant's ledger found.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    pub entries: u64,
    pub postings: u64,
    pub accounts: u64,
    pub problems: Vec<String>,
}

/// Recomputes a tenant's ledger from what is stored, fed one entry at a time in sequence
/// order and then every account: each entry sums to zero over at least two postings, its
/// hash follows from the entry before, the sequence has no gaps, the head names the last
/// entry, and each maintained balance equals the sum of its postings. Memory grows with the
/// number of accounts and compounds, not of entries.
#[derive(Debug)]
pub struct ChainVerifier {
    found: Verification,
    last_seq: i64,
    last_hash: String,
    sums: HashMap<Uuid, i64>,
    /// Compounds named, with how many entries named each.
    compounds: HashMap<Uuid, u64>,
    /// Entries reversed, with how many reversals named each.
    reversed: HashMap<Uuid, u64>,
    text: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            found: Verification::default(),
            last_seq: 0,
            last_hash: GENESIS_HASH.to_owned(),
            sums: HashMap::new(),
            compounds: HashMap::new(),
            reversed: HashMap::new(),
            text: String::new(),
        }
    }
}

impl ChainVerifier {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the next stored entry: `prev_hash` and `hash` as stored with it.
    pub fn entry(&mut self, mut record: ChainRecord<'_>, prev_hash: &str, hash: &str) {
        let (id, seq) = (record.id, record.seq);
        if seq != self.last_seq + 1 {
            self.problem(format!(
                "entry {id} has seq {seq} after {}: a gap",
                self.last_seq
            ));
        }
        self.last_seq = seq;
        self.found.entries += 1;
        self.found.postings += record.postings.len() as u64;
        let total: i128 = record.postings.iter().map(|(_, x)| i128::from(*x)).sum();
        if total != 0 {
            self.problem(format!(
                "entry {id} (seq {seq}) does not balance: off by {total} fen"
            ));
        }
        if record.postings.len() < 2 {
            self.problem(format!(
                "entry {id} (seq {seq}) has {} posting(s)",
                record.postings.len()
            ));
        }
        for (account, amount) in &record.postings {
            let s = self.sums.entry(*account).or_default();
            *s = s.wrapping_add(*amount);
        }
        *self.compounds.entry(record.compound).or_default() += 1;
        if let Some(r) = record.reverses {
            *self.reversed.entry(r).or_default() += 1;
        }
        if prev_hash != self.last_hash {
            self.problem(format!(
                "entry {id} (seq {seq}) does not follow the previous hash"
            ));
        }
        record.write_canonical(&mut self.text);
        if chain_hash(prev_hash, &self.text) != hash {
            self.problem(format!(
                "entry {id} (seq {seq}) was altered: its hash does not match"
            ));
        }
        hash.clone_into(&mut self.last_hash);
    }

    /// Checks the chain head (its seq and hash) against the last entry seen.
    pub fn head(&mut self, head: Option<(i64, &str)>) {
        match head {
            Some((seq, hash)) if seq != self.last_seq || hash != self.last_hash => {
                self.problem(format!(
                    "the chain head (seq {seq}) does not match the last entry (seq {})",
                    self.last_seq
                ));
            }
            None if self.last_seq > 0 => {
                self.problem("entries exist but the chain head is missing".to_owned());
            }
            _ => {}
        }
    }

    /// Checks one stored account's maintained balance against its postings.
    pub fn account(&mut self, id: Uuid, kind: &str, balance: i64) {
        self.found.accounts += 1;
        let expected = self.sums.remove(&id).unwrap_or(0);
        if balance != expected {
            self.problem(format!(
                "account {id} ({kind}) holds {} but its postings sum to {}",
                Money::from_fen(balance),
                Money::from_fen(expected)
            ));
        }
    }

    /// The compounds the entries named, each with how many entries named it, for the caller
    /// to check they exist.
    pub fn compound_refs(&self) -> impl Iterator<Item = (Uuid, u64)> + '_ {
        self.compounds.iter().map(|(id, n)| (*id, *n))
    }

    /// The entries that reversals named, each with how many reversals named it.
    pub fn reversal_refs(&self) -> impl Iterator<Item = (Uuid, u64)> + '_ {
        self.reversed.iter().map(|(id, n)| (*id, *n))
    }

    /// Records a problem found outside the chain (a missing compound, say).
    pub fn problem(&mut self, problem: String) {
        self.found.problems.push(problem);
    }

    /// The verdict, given how many postings the tenant stores in all: postings to accounts
    /// never seen, and postings that belong to no entry, are problems too.
    #[must_use]
    pub fn finish(mut self, stored_postings: u64) -> Verification {
        let mut unknown: Vec<Uuid> = self.sums.keys().copied().collect();
        unknown.sort_unstable();
        for account in unknown {
            self.problem(format!("postings refer to unknown account {account}"));
        }
        if stored_postings != self.found.postings {
            self.problem(format!(
                "{} posting(s) belong to no entry",
                stored_postings.saturating_sub(self.found.postings)
            ));
        }
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: Uuid = Uuid::from_u128(1);
    const CASH: Uuid = Uuid::from_u128(11);
    const INCOME: Uuid = Uuid::from_u128(12);

    fn record(seq: i64, postings: Vec<(Uuid, i64)>) -> ChainRecord<'static> {
        ChainRecord {
            seq,
            id: Uuid::from_u128(100 + seq as u128),
            compound: C,
            kind: "adjustment",
            occurred_micros: 10,
            recorded_micros: 11,
            idempotency_key: "k",
            actor: None,
            reverses: None,
            memo: "m",
            postings,
        }
    }

    /// A chain of `n` balanced entries as stored: (record, prev_hash, hash).
    fn chain(n: i64) -> Vec<(ChainRecord<'static>, String, String)> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let r = record(seq, vec![(CASH, 100), (INCOME, -100)]);
                let hash = chain_hash(&prev, &r.clone().canonical());
                let out = (r, prev.clone(), hash.clone());
                prev = hash;
                out
            })
            .collect()
    }

    fn verify(
        entries: Vec<(ChainRecord<'static>, String, String)>,
        head: Option<(i64, &str)>,
        balances: &[(Uuid, i64)],
    ) -> Verification {
        let mut v = ChainVerifier::new();
        let stored = entries.iter().map(|(r, ..)| r.postings.len() as u64).sum();
        for (r, prev, hash) in entries {
            v.entry(r, &prev, &hash);
        }
        v.head(head);
        for (id, balance) in balances {
            v.account(*id, "cash_on_hand", *balance);
        }
        v.finish(stored)
    }

    #[test]
    fn canonical_text_is_the_stored_format_and_sorts_postings() {
        let mut r = ChainRecord {
            seq: 1,
            id: Uuid::from_u128(5),
            compound: C,
            kind: "adjustment",
            occurred_micros: 10,
            recorded_micros: 11,
            idempotency_key: "k|1",
            actor: None,
            reverses: Some(Uuid::from_u128(4)),
            memo: "m",
            postings: vec![(Uuid::from_u128(2), -5), (Uuid::from_u128(1), 5)],
        };
        let a = r.clone().canonical();
        assert_eq!(
            a,
            "v1|1|00000000-0000-0000-0000-000000000005|00000000-0000-0000-0000-000000000001\
             |adjustment|10|11|3:k|1|-|00000000-0000-0000-0000-000000000004|1:m\
             |00000000-0000-0000-0000-000000000001:5,00000000-0000-0000-0000-000000000002:-5"
        );
        r.postings.reverse();
        assert_eq!(a, r.clone().canonical());
        r.idempotency_key = "k";
        r.memo = "1|m";
        assert_ne!(a, r.canonical());
    }

    #[test]
    fn the_chain_changes_with_any_byte() {
        let a = chain_hash(GENESIS_HASH, "1|x");
        // Pinned: every stored hash was computed this way.
        assert_eq!(
            a,
            "82f98df1ab337d7b5bfd86a1e140d76e9eeb8c67d73b7882926a84c5c3f8d1f4"
        );
        assert_ne!(a, chain_hash(GENESIS_HASH, "1|y"));
        assert_ne!(a, chain_hash(&a, "1|x"));
        assert_eq!(a, chain_hash(GENESIS_HASH, "1|x"));
    }

    #[test]
    fn an_intact_chain_has_no_problems() {
        let entries = chain(3);
        let last = entries[2].2.clone();
        let v = verify(entries, Some((3, &last)), &[(CASH, 300), (INCOME, -300)]);
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert_eq!((v.entries, v.postings, v.accounts), (3, 6, 2));
    }

    #[test]
    fn every_kind_of_damage_is_named() {
        let mut entries = chain(4);
        let last = entries[3].2.clone();
        entries[1].0.memo = "changed";
        entries[2].0.postings[0].1 = 101;
        entries.remove(3);
        let v = verify(entries, Some((4, &last)), &[(CASH, 1), (INCOME, -300)]);
        let has = |s: &str| v.problems.iter().any(|p| p.contains(s));
        assert!(has("(seq 2) was altered"), "{:?}", v.problems);
        assert!(
            has("(seq 3) does not balance: off by 1 fen"),
            "{:?}",
            v.problems
        );
        assert!(has("the chain head (seq 4)"), "{:?}", v.problems);
        assert!(
            has("holds ¥0.01 but its postings sum to ¥3.01"),
            "{:?}",
            v.problems
        );
        assert!(!has("(seq 1)"), "{:?}", v.problems);
    }

    #[test]
    fn gaps_broken_links_single_postings_and_strays_are_named() {
        let mut entries = chain(3);
        entries.remove(1);
        entries[1].1 = GENESIS_HASH.to_owned();
        let mut lone = chain(1).remove(0);
        lone.0.seq = 4;
        lone.0.postings = vec![(Uuid::from_u128(99), 0)];
        entries.push(lone);
        let v = verify(entries, None, &[]);
        let has = |s: &str| v.problems.iter().any(|p| p.contains(s));
        assert!(has("has seq 3 after 1: a gap"), "{:?}", v.problems);
        assert!(
            has("(seq 3) does not follow the previous hash"),
            "{:?}",
            v.problems
        );
        assert!(has("(seq 4) has 1 posting(s)"), "{:?}", v.problems);
        assert!(has("the chain head is missing"), "{:?}", v.problems);
        assert!(has("unknown account"), "{:?}", v.problems);
        let mut v = ChainVerifier::new();
        for (r, prev, hash) in chain(1) {
            v.entry(r, &prev, &hash);
        }
        assert!(
            v.finish(5)
                .problems
                .contains(&"3 posting(s) belong to no entry".to_owned())
        );
    }
}
