//! Rows of a PostgreSQL `COPY … TO STDOUT (FORMAT binary)`, read straight off the wire, for
//! reads of millions of rows (`ledger verify`) where the row protocol's machinery — a row
//! object, a type check and a decoder call per column — costs more than the data.
//!
//! The format: a header, then per row a 16-bit field count and per field a 32-bit length
//! (−1 for NULL) and the value in the type's binary form, then a count of −1 (PostgreSQL's
//! "Binary Format" of `COPY`). PostgreSQL sends each row in a CopyData message of its own
//! (the protocol's "always one per row"); the header and the trailer may come with a row
//! or alone. The reader relies on that and refuses a row split across messages.
//!
//! A task of the copy's own receives the messages and hands them over in batches
//! ([`CopyRows::read_ahead`]), so the database keeps sending while the reader's caller works.

use bytes::Bytes;
use futures_util::StreamExt;
use sea_orm::DbErr;
use sea_orm::sqlx::{self, Postgres};
use tokio::sync::mpsc;
use tracing::Instrument;
use tracing::instrument::WithSubscriber;
use tracing::subscriber::NoSubscriber;
use uuid::Uuid;

use crate::platform::db::sqlx_err;

/// Messages (rows) the reading task hands over at a time, and how many such batches it may
/// read ahead of the consumer.
const BATCH: usize = 256;
const BATCHES_AHEAD: usize = 16;

/// The binary format's signature, the first bytes of the header.
const SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";

/// PostgreSQL's epoch (2000-01-01) in microseconds after the Unix epoch.
const POSTGRES_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// What the reading task hands over: a batch of messages, or the error that ended the copy.
type Batch = Result<Vec<Bytes>, sqlx::Error>;

pub(crate) struct CopyRows {
    batches: mpsc::Receiver<Batch>,
    /// The rest of the batch being read.
    pending: std::vec::IntoIter<Bytes>,
    message: Bytes,
    at: usize,
    header_read: bool,
    /// The trailer has come.
    ended: bool,
    /// The stream has been read to its end after the trailer.
    finished: bool,
}

impl CopyRows {
    /// Reads the messages of a `COPY … TO STDOUT (FORMAT binary)` as they come in batches;
    /// the copy ends when the sender is dropped.
    fn new(batches: mpsc::Receiver<Batch>) -> Self {
        Self {
            batches,
            pending: Vec::new().into_iter(),
            message: Bytes::new(),
            at: 0,
            header_read: false,
            ended: false,
            finished: false,
        }
    }

    /// Runs `sql`, a `COPY … TO STDOUT (FORMAT binary)`, on `tx` in a task of its own that
    /// reads up to [`BATCHES_AHEAD`] batches ahead of the consumer, then commits `tx`; the
    /// copy ends after that commit. The database keeps sending while the consumer is busy,
    /// and receiving is off the consumer's path.
    pub(crate) fn read_ahead(tx: sqlx::Transaction<'static, Postgres>, sql: String) -> Self {
        let (send, batches) = mpsc::channel(BATCHES_AHEAD);
        tokio::spawn(
            async move {
                if let Err(e) = pump(tx, &sql, &send).await {
                    // The consumer may be gone; then nobody is left to tell.
                    let _ = send.send(Err(e)).await;
                }
            }
            .in_current_span(),
        );
        Self::new(batches)
    }

    async fn next_message(&mut self) -> Result<Option<Bytes>, DbErr> {
        loop {
            if let Some(message) = self.pending.next() {
                return Ok(Some(message));
            }
            match self.batches.recv().await {
                Some(batch) => self.pending = batch.map_err(sqlx_err)?.into_iter(),
                None => return Ok(None),
            }
        }
    }

    /// The next row's fields, or `None` once the trailer has come and the copy is complete.
    pub(crate) async fn next(&mut self) -> Result<Option<Fields<'_>>, DbErr> {
        loop {
            if self.finished {
                return Ok(None);
            }
            while !self.ended && self.at == self.message.len() {
                match self.next_message().await? {
                    Some(message) => (self.message, self.at) = (message, 0),
                    None => return Err(malformed("the copy ended without its trailer")),
                }
            }
            if self.ended {
                // Reading on to the end waits for the copy's transaction to commit.
                let more = self.next_message().await?;
                if more.is_some() || self.at < self.message.len() {
                    return Err(malformed("data after the trailer"));
                }
                self.finished = true;
                return Ok(None);
            }
            let mut rest = &self.message[self.at..];
            if !self.header_read {
                rest = header(rest)?;
                self.header_read = true;
                if rest.is_empty() {
                    self.at = self.message.len();
                    continue;
                }
            }
            let count = i16::from_be_bytes(take_array(&mut rest)?);
            let start = self.message.len() - rest.len();
            if let Ok(count) = u16::try_from(count) {
                for _ in 0..count {
                    field(&mut rest)?;
                }
                self.at = self.message.len() - rest.len();
                let row = &self.message[start..self.at];
                return Ok(Some(Fields {
                    rest: row,
                    left: count,
                }));
            }
            (self.ended, self.at) = (true, start);
        }
    }
}

/// Sends the messages of `sql` on `tx` in batches, then commits. Stops early, without an
/// error, if the consumer has gone.
async fn pump(
    mut tx: sqlx::Transaction<'static, Postgres>,
    sql: &str,
    send: &mpsc::Sender<Batch>,
) -> Result<(), sqlx::Error> {
    {
        // sqlx's copy stream re-enters the span current when it started on every message it
        // yields, one per row: with a subscriber that is a lock and two lookups per row
        // (docs/benchmarks.md). Started under no subscriber it has no span to enter; this
        // task stays in its caller's span.
        let mut messages = tx
            .copy_out_raw(sql)
            .with_subscriber(NoSubscriber::new())
            .await?;
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(message) = messages.next().await {
            batch.push(message?);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if send.send(Ok(full)).await.is_err() {
                    return Ok(());
                }
            }
        }
        if !batch.is_empty() && send.send(Ok(batch)).await.is_err() {
            return Ok(());
        }
    }
    tx.commit().await
}

/// One row's fields, decoded in order by the caller, who knows the columns' types.
pub(crate) struct Fields<'a> {
    rest: &'a [u8],
    left: u16,
}

impl<'a> Fields<'a> {
    fn next(&mut self) -> Result<Option<&'a [u8]>, DbErr> {
        self.left = self
            .left
            .checked_sub(1)
            .ok_or_else(|| malformed("a row has fewer fields than read"))?;
        field(&mut self.rest)
    }

    fn required(&mut self) -> Result<&'a [u8], DbErr> {
        self.next()?
            .ok_or_else(|| malformed("NULL where a value is required"))
    }

    pub(crate) fn uuid(&mut self) -> Result<Uuid, DbErr> {
        Uuid::from_slice(self.required()?).map_err(|_| malformed("a uuid is not 16 bytes"))
    }

    pub(crate) fn opt_uuid(&mut self) -> Result<Option<Uuid>, DbErr> {
        self.next()?
            .map(|v| Uuid::from_slice(v).map_err(|_| malformed("a uuid is not 16 bytes")))
            .transpose()
    }

    /// A `bigint`.
    pub(crate) fn int8(&mut self) -> Result<i64, DbErr> {
        let value = self.required()?;
        Ok(i64::from_be_bytes(
            value
                .try_into()
                .map_err(|_| malformed("a bigint is not 8 bytes"))?,
        ))
    }

    /// A `timestamptz`, in microseconds since the Unix epoch.
    pub(crate) fn timestamp_micros(&mut self) -> Result<i64, DbErr> {
        self.int8()?
            .checked_add(POSTGRES_EPOCH_MICROS)
            .ok_or_else(|| malformed("a timestamp is out of range"))
    }

    /// A `text` or `varchar` (the connection's encoding is UTF-8).
    pub(crate) fn text(&mut self) -> Result<&'a str, DbErr> {
        std::str::from_utf8(self.required()?).map_err(|_| malformed("a text is not UTF-8"))
    }
}

/// Checks the header and returns what follows it.
fn header(mut rest: &[u8]) -> Result<&[u8], DbErr> {
    if take(&mut rest, SIGNATURE.len())? != SIGNATURE {
        return Err(malformed("not binary COPY data"));
    }
    let _flags: [u8; 4] = take_array(&mut rest)?;
    let extension = u32::from_be_bytes(take_array(&mut rest)?);
    take(&mut rest, usize::try_from(extension).unwrap_or(usize::MAX))?;
    Ok(rest)
}

/// Reads one field: `None` for NULL.
fn field<'a>(rest: &mut &'a [u8]) -> Result<Option<&'a [u8]>, DbErr> {
    let len = i32::from_be_bytes(take_array(rest)?);
    match usize::try_from(len) {
        Ok(len) => take(rest, len).map(Some),
        Err(_) if len == -1 => Ok(None),
        Err(_) => Err(malformed("a field has a negative length")),
    }
}

fn take<'a>(rest: &mut &'a [u8], n: usize) -> Result<&'a [u8], DbErr> {
    let Some((head, tail)) = rest.split_at_checked(n) else {
        return Err(malformed("a row ends early (or is split across messages)"));
    };
    *rest = tail;
    Ok(head)
}

fn take_array<const N: usize>(rest: &mut &[u8]) -> Result<[u8; N], DbErr> {
    let mut out = [0; N];
    out.copy_from_slice(take(rest, N)?);
    Ok(out)
}

fn malformed(what: &str) -> DbErr {
    DbErr::Custom(format!("binary COPY from PostgreSQL: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[Option<&[u8]>]) -> Vec<u8> {
        let mut out = i16::try_from(fields.len())
            .unwrap_or(0)
            .to_be_bytes()
            .to_vec();
        for f in fields {
            match f {
                Some(v) => {
                    out.extend(i32::try_from(v.len()).unwrap_or(0).to_be_bytes());
                    out.extend(*v);
                }
                None => out.extend((-1i32).to_be_bytes()),
            }
        }
        out
    }

    fn header_bytes() -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.extend([0; 4]);
        out.extend(3u32.to_be_bytes());
        out.extend(b"ext");
        out
    }

    const TRAILER: [u8; 2] = [0xff, 0xff];

    /// `messages` in one batch, then the end of the copy.
    fn rows(messages: Vec<Vec<u8>>) -> CopyRows {
        let (send, batches) = mpsc::channel(1);
        let batch = messages.into_iter().map(Bytes::from).collect();
        assert!(
            send.try_send(Ok(batch)).is_ok(),
            "a channel of one has room"
        );
        CopyRows::new(batches)
    }

    #[tokio::test]
    async fn decodes_rows_with_the_header_and_trailer_in_any_message() -> Result<(), DbErr> {
        let id = Uuid::from_u128(7);
        let first = row(&[
            Some(id.as_bytes()),
            None,
            Some(&(-42i64).to_be_bytes()),
            Some("物业".as_bytes()),
            Some(&0i64.to_be_bytes()),
        ]);
        let second = row(&[Some(id.as_bytes()), Some(id.as_bytes())]);
        for messages in [
            vec![
                header_bytes(),
                first.clone(),
                second.clone(),
                TRAILER.to_vec(),
            ],
            vec![
                [header_bytes(), first.clone()].concat(),
                [second.clone(), TRAILER.to_vec()].concat(),
            ],
            vec![
                [
                    header_bytes(),
                    first.clone(),
                    second.clone(),
                    TRAILER.to_vec(),
                ]
                .concat(),
            ],
        ] {
            let mut rows = rows(messages);
            let mut f = rows.next().await?.ok_or(malformed("no first row"))?;
            assert_eq!(f.uuid()?, id);
            assert_eq!(f.opt_uuid()?, None);
            assert_eq!(f.int8()?, -42);
            assert_eq!(f.text()?, "物业");
            assert_eq!(f.timestamp_micros()?, POSTGRES_EPOCH_MICROS);
            assert!(f.int8().is_err(), "a sixth field is refused");
            let mut f = rows.next().await?.ok_or(malformed("no second row"))?;
            assert_eq!((f.uuid()?, f.opt_uuid()?), (id, Some(id)));
            assert!(rows.next().await?.is_none());
        }
        Ok(())
    }

    #[tokio::test]
    async fn refuses_what_is_not_a_complete_binary_copy() {
        let good = row(&[Some(&1i64.to_be_bytes())]);
        let cut = good[..good.len() - 1].to_vec();
        for (messages, why) in [
            (vec![b"id\tamount\n".to_vec()], "text format"),
            (vec![header_bytes(), cut], "a row cut short"),
            (vec![header_bytes(), good.clone()], "no trailer"),
            (
                vec![header_bytes(), TRAILER.to_vec(), good],
                "a row after the trailer",
            ),
        ] {
            let mut rows = rows(messages);
            let mut outcome = Ok(());
            while let Some(r) = rows.next().await.transpose() {
                if let Err(e) = r {
                    outcome = Err(e);
                    break;
                }
            }
            assert!(outcome.is_err(), "{why} was accepted");
        }
    }

    #[tokio::test]
    async fn type_mismatches_are_errors_not_garbage() -> Result<(), DbErr> {
        let mut rows = rows(vec![
            header_bytes(),
            row(&[Some(b"short"), None, Some(&[0xff, 0xfe])]),
            TRAILER.to_vec(),
        ]);
        let mut f = rows.next().await?.ok_or(malformed("no row"))?;
        assert!(f.uuid().is_err(), "5 bytes are no uuid");
        assert!(f.int8().is_err(), "NULL is no bigint");
        assert!(f.text().is_err(), "invalid UTF-8 is no text");
        Ok(())
    }
}
