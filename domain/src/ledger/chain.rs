//! The hash chain that makes tampering evident, and the check that recomputes a tenant's
//! ledger from what is stored: one place for both, so the text an entry is hashed over when
//! it is written is the text it is checked against.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::money::Money;

/// The hash before a tenant's first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 over the previous hash and an entry's canonical text, in lowercase hex: changing,
/// removing or reordering any stored entry breaks every hash after it.
#[must_use]
pub fn chain_hash(previous: &str, canonical: &str) -> String {
    chain_hash_hex(previous, canonical)
        .iter()
        .map(|b| char::from(*b))
        .collect()
}

/// [`chain_hash`]'s hex digits, without a `String` to allocate (the check compares them with
/// half a million stored hashes).
fn chain_hash_hex(previous: &str, canonical: &str) -> [u8; 64] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    let mut out = [0; 64];
    for (pair, b) in out.chunks_exact_mut(2).zip(h.finalize()) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 0xf)];
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
        // By hand rather than through `write!`: `ledger verify` writes half a million of
        // these, and the formatting machinery took a twentieth of its time.
        fn uuid(out: &mut String, u: Uuid) {
            out.push_str(u.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
        }
        fn opt(out: &mut String, u: Option<Uuid>) {
            match u {
                Some(u) => uuid(out, u),
                None => out.push('-'),
            }
        }
        fn int(out: &mut String, n: impl itoa::Integer) {
            out.push_str(itoa::Buffer::new().format(n));
        }
        /// Length-prefixed, so no choice of text can imitate a separator.
        fn text(out: &mut String, t: &str) {
            int(out, t.len());
            out.push(':');
            out.push_str(t);
        }
        self.postings.sort_unstable();
        out.clear();
        out.push_str("v1|");
        int(out, self.seq);
        out.push('|');
        uuid(out, self.id);
        out.push('|');
        uuid(out, self.compound);
        out.push('|');
        out.push_str(self.kind);
        out.push('|');
        int(out, self.occurred_micros);
        out.push('|');
        int(out, self.recorded_micros);
        out.push('|');
        text(out, self.idempotency_key);
        out.push('|');
        opt(out, self.actor);
        out.push('|');
        opt(out, self.reverses);
        out.push('|');
        text(out, self.memo);
        out.push('|');
        for (i, (account, amount)) in self.postings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            uuid(out, *account);
            out.push(':');
            int(out, *amount);
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

/// Recomputes a tenant's ledger from what is stored, fed one entry at a time in any order
/// and then the head and every account: each entry sums to zero over at least two postings,
/// its hash follows from its text and the previous hash stored with it, that previous hash
/// is the hash of the entry one seq earlier, the sequence has no gaps, the head names the
/// last entry, and each maintained balance equals the sum of its postings. Memory grows with
/// the number of accounts and compounds, and with the entries whose neighbours have not been
/// fed yet: a handful when fed in seq order or in id order (ids are time-ordered and
/// assigned in seq order under the chain's lock).
#[derive(Debug, Default)]
pub struct ChainVerifier {
    found: Verification,
    links: Links,
    sums: HashMap<Uuid, i64>,
    /// Compounds named, with how many entries named each.
    compounds: HashMap<Uuid, u64>,
    /// Entries reversed, with how many reversals named each.
    reversed: HashMap<Uuid, u64>,
    text: String,
}

/// The links between neighbouring entries, matched in whatever order the entries come.
#[derive(Debug, Default)]
struct Links {
    /// Entries whose successor has not come yet: seq → (id, its stored hash).
    open_after: HashMap<i64, (Uuid, String)>,
    /// Entries whose predecessor has not come yet: seq → (id, its stored previous hash).
    open_before: HashMap<i64, (Uuid, String)>,
    last_seq: i64,
}

impl ChainVerifier {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks a stored entry: `prev_hash` and `hash` as stored with it.
    pub fn entry(&mut self, mut record: ChainRecord<'_>, prev_hash: &str, hash: &str) {
        let (id, seq) = (record.id, record.seq);
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
        record.write_canonical(&mut self.text);
        if chain_hash_hex(prev_hash, &self.text) != hash.as_bytes() {
            self.problem(format!(
                "entry {id} (seq {seq}) was altered: its hash does not match"
            ));
        }
        self.link(id, seq, prev_hash, hash);
    }

    /// Matches an entry with those fed before it one seq either side, and leaves open the
    /// links whose other end has not come yet.
    fn link(&mut self, id: Uuid, seq: i64, prev_hash: &str, hash: &str) {
        let links = &mut self.links;
        links.last_seq = links.last_seq.max(seq);
        let mut broken = Vec::new();
        let mut twice = false;
        let before = if seq == 1 {
            Some(GENESIS_HASH.to_owned())
        } else {
            links.open_after.remove(&(seq - 1)).map(|(_, h)| h)
        };
        // The predecessor's hash, once compared, holds this entry's until its successor
        // comes: in order, one buffer serves the whole chain.
        let mut spare = None;
        match before {
            Some(h) => {
                if h != prev_hash {
                    broken.push((id, seq));
                }
                spare = Some(h);
            }
            None => {
                twice |= links
                    .open_before
                    .insert(seq, (id, prev_hash.to_owned()))
                    .is_some();
            }
        }
        let after = if links.open_before.is_empty() {
            None
        } else {
            links.open_before.remove(&(seq + 1))
        };
        match after {
            Some((next, p)) if p != hash => broken.push((next, seq + 1)),
            Some(_) => {}
            None => {
                let mut kept = spare.unwrap_or_default();
                kept.clear();
                kept.push_str(hash);
                twice |= links.open_after.insert(seq, (id, kept)).is_some();
            }
        }
        if twice {
            self.problem(format!("two entries have seq {seq}"));
        }
        for (id, seq) in broken {
            self.problem(format!(
                "entry {id} (seq {seq}) does not follow the previous hash"
            ));
        }
    }

    /// Checks the chain head (its seq and hash) against the last entry, and names every gap
    /// in the sequence: call it once every entry has been fed.
    pub fn head(&mut self, head: Option<(i64, &str)>) {
        let last_seq = self.links.last_seq;
        let last = self.links.open_after.remove(&last_seq);
        match head {
            Some((seq, hash))
                if seq != last_seq || last.as_ref().is_none_or(|(_, h)| h != hash) =>
            {
                self.problem(format!(
                    "the chain head (seq {seq}) does not match the last entry (seq {last_seq})"
                ));
            }
            None if last_seq > 0 => {
                self.problem("entries exist but the chain head is missing".to_owned());
            }
            _ => {}
        }
        if self.found.entries > last_seq.unsigned_abs() {
            self.problem(format!(
                "{} entries for seqs up to {last_seq}: some seq is stored twice",
                self.found.entries
            ));
        }
        let after = self
            .links
            .open_after
            .drain()
            .map(|(s, (id, _))| (s, "after", id));
        let before = self
            .links
            .open_before
            .drain()
            .map(|(s, (id, _))| (s, "before", id));
        let mut gaps: Vec<_> = after.chain(before).collect();
        gaps.sort_unstable();
        for (seq, side, id) in gaps {
            self.problem(format!("entry {id} (seq {seq}) has a gap {side} it"));
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
    fn entries_may_come_in_any_order() {
        let mut entries = chain(6);
        let last = entries[5].2.clone();
        entries.swap(0, 5);
        entries.swap(2, 3);
        entries.swap(1, 4);
        let v = verify(entries, Some((6, &last)), &[(CASH, 600), (INCOME, -600)]);
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert_eq!(v.entries, 6);
    }

    #[test]
    fn a_broken_link_is_named_whichever_end_comes_first() {
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0], [0, 2, 1]] {
            let mut entries = chain(3);
            let last = entries[2].2.clone();
            entries[2].1 = GENESIS_HASH.to_owned();
            let fed = order.iter().map(|&i| entries[i].clone()).collect();
            let v = verify(fed, Some((3, &last)), &[(CASH, 300), (INCOME, -300)]);
            let problems = v.problems.join("; ");
            assert!(
                problems.contains("(seq 3) does not follow"),
                "{order:?}: {problems}"
            );
            assert!(
                problems.contains("(seq 3) was altered"),
                "{order:?}: {problems}"
            );
            assert_eq!(v.problems.len(), 2, "{order:?}: {problems}");
        }
    }

    #[test]
    fn a_seq_stored_twice_is_named() {
        let mut entries = chain(3);
        let last = entries[2].2.clone();
        let again = entries[1].clone();
        entries.push(again);
        let v = verify(entries, Some((3, &last)), &[(CASH, 400), (INCOME, -400)]);
        assert!(
            v.problems
                .contains(&"4 entries for seqs up to 3: some seq is stored twice".to_owned()),
            "{:?}",
            v.problems
        );
        let mut entries = chain(3);
        entries.insert(1, entries[1].clone());
        let v = verify(entries, Some((3, &last)), &[(CASH, 400), (INCOME, -400)]);
        assert!(
            v.problems.contains(&"two entries have seq 2".to_owned()),
            "{:?}",
            v.problems
        );
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
        assert!(has("(seq 1) has a gap after it"), "{:?}", v.problems);
        assert!(has("(seq 3) has a gap before it"), "{:?}", v.problems);
        assert!(
            has("(seq 4) does not follow the previous hash"),
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
