//! Household invite codes: issued by the office, printed on the paper bill, redeemed once by a
//! resident to create (or extend) their account.
//!
//! Codes are 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
//! `ABCD-EFGH`; 31⁸ ≈ 8.5 × 10¹¹ possibilities. Only a hash, salted with the tenant id, is
//! stored. They expire after 90 days.

use chrono::{DateTime, Duration, Utc};
use domain::{Grant, Identifier, Name, Role, Scope};
use rand::Rng;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::attempts;
use super::auth::{self, LoginOutcome, Password};
use crate::people::store::{invites, memberships, users};
use crate::platform::db::Db;
use crate::platform::error::{AppError, AppResult, FieldExt};
use crate::platform::events::Event;
use crate::platform::scope::Reach;
use crate::platform::{RequestContext, UnitOfWork};
use crate::tenancy::{households, tenants};

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_LEN: usize = 8;
pub const INVITE_DAYS: i64 = 90;

fn new_code() -> String {
    let mut rng = rand::rng();
    let raw: String = (0..CODE_LEN)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("{}-{}", &raw[..4], &raw[4..])
}

/// Accepts what a person types from paper: any case, with or without dashes and spaces.
fn normalise(code: &str) -> Option<String> {
    let s: String = code
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (s.len() == CODE_LEN && s.bytes().all(|b| ALPHABET.contains(&b))).then_some(s)
}

fn hash_code(tenant: Uuid, normalised: &str) -> String {
    let mut h = Sha256::new();
    h.update(tenant.as_bytes());
    h.update(normalised.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub struct IssuedInvite {
    pub code: String,
    pub household_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

#[tracing::instrument(name = "invites.issue", skip_all)]
pub async fn issue(db: &Db, ctx: &RequestContext, household: Uuid) -> AppResult<IssuedInvite> {
    if !ctx.principal.can_issue_invites() {
        return Err(AppError::forbidden(
            "only the firm's administrator or accountant may issue invite codes",
        ));
    }
    let uow = UnitOfWork::begin(db, ctx).await?;
    let tx = uow.tx();
    let h = households::find(tx, ctx.tenant_id, &Reach::everything(), household)
        .await?
        .ok_or(AppError::NotFound("household"))?;
    if h.archived_at.is_some() {
        return Err(AppError::bad_input(
            "householdId",
            "this household is archived",
        ));
    }
    let code = new_code();
    let normalised = normalise(&code)
        .ok_or_else(|| AppError::Internal("generated an invalid invite code".into()))?;
    let expires_at = Utc::now() + Duration::days(INVITE_DAYS);
    let invite = invites::insert(
        tx,
        ctx.tenant_id,
        household,
        hash_code(ctx.tenant_id, &normalised),
        ctx.user_id(),
        expires_at,
    )
    .await?;
    uow.audit(
        "invite.issue",
        "household",
        household,
        json!({ "invite": invite.id }),
    );
    uow.commit().await?;
    Ok(IssuedInvite {
        code,
        household_id: household,
        expires_at,
    })
}

pub struct Redemption<'a> {
    pub tenant_slug: &'a str,
    pub code: &'a str,
    pub identifier: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    /// Where the request came from, for throttling guesses (none when unknown).
    pub client: Option<std::net::IpAddr>,
}

const INVALID_CODE: &str = "this invite code is not valid, has been used, or has expired";

/// Wrong codes: at most this many per client, and per code prefix (the first half of a code),
/// in [`GUESS_WINDOW_MINUTES`].
pub const MAX_GUESSES: u64 = 10;
pub const GUESS_WINDOW_MINUTES: i64 = 15;

/// Counts this redemption against the client's and the code prefix's allowance of guesses.
async fn begin_guesses(
    db: &Db,
    tenant: Uuid,
    normalised: &str,
    client: Option<std::net::IpAddr>,
) -> AppResult<Vec<attempts::Attempt>> {
    let throttle = attempts::Throttle {
        max: MAX_GUESSES,
        window: Duration::minutes(GUESS_WINDOW_MINUTES),
    };
    let locked = format!(
        "too many wrong invite codes; try again in {GUESS_WINDOW_MINUTES} minutes, or ask the office"
    );
    // The client first: a client past its allowance is refused without counting a guess at
    // the prefix.
    let client = client.map(|ip| format!("invite-client:{ip}"));
    let prefix = format!("invite-prefix:{tenant}:{}", &normalised[..CODE_LEN / 2]);
    let mut begun = Vec::with_capacity(2);
    for key in client.iter().chain([&prefix]) {
        begun.push(attempts::begin(db, key, throttle, &locked).await?);
    }
    Ok(begun)
}

/// The account a redemption signs into: an existing one (its password checked) or a new one
/// (its password hashed), created only with the redemption itself.
enum Account {
    Existing(crate::people::model::User),
    New(String),
}

async fn account_for(db: &Db, identifier: &Identifier, r: &Redemption<'_>) -> AppResult<Account> {
    let existing = {
        let tx = db.begin_global().await?;
        let u = users::find_by_identifier(&tx, identifier).await?;
        tx.commit().await?;
        u
    };
    match existing {
        Some(_) => auth::verify_credentials(db, r.identifier, r.password)
            .await
            .map(Account::Existing)
            .map_err(|e| match e {
                AppError::Unauthenticated => AppError::bad_input(
                    "password",
                    "this account exists; enter its password to add the household",
                ),
                other => other,
            }),
        None => Ok(Account::New(
            auth::hash_password(Password::parse(r.password)?).await?,
        )),
    }
}

/// Redeems a code: creates the account (or, for an existing account, checks its password),
/// grants the resident role over the household, and signs the user in. The code is checked
/// in the transaction that creates the account: a wrong code creates nothing.
#[tracing::instrument(name = "invites.redeem", skip_all)]
pub async fn redeem(db: &Db, r: Redemption<'_>) -> AppResult<LoginOutcome> {
    let identifier = Identifier::parse(r.identifier).field("identifier")?;
    let name = Name::parse(r.display_name).field("displayName")?;
    let normalised = normalise(r.code).ok_or_else(|| AppError::bad_input("code", INVALID_CODE))?;
    let tenant = {
        let tx = db.begin_global().await?;
        let t = tenants::find_by_slug(&tx, r.tenant_slug).await?;
        tx.commit().await?;
        t.ok_or_else(|| AppError::bad_input("code", INVALID_CODE))?
    };
    let guesses = begin_guesses(db, tenant.id, &normalised, r.client).await?;
    let account = account_for(db, &identifier, &r).await?;

    // The actor is the user this creates or finds.
    let uow = UnitOfWork::begin_for(db, tenant.id, None).await?;
    let tx = uow.tx();
    let existing = matches!(account, Account::Existing(_));
    let user = match account {
        Account::Existing(user) => user,
        Account::New(hash) => users::insert(tx, &identifier, &name, hash)
            .await
            .map_err(|e| {
                AppError::unique_or_internal(e, "identifier", "this account already exists")
            })?,
    };
    let invite = invites::redeem(
        tx,
        tenant.id,
        &hash_code(tenant.id, &normalised),
        user.id,
        Utc::now(),
    )
    .await?
    .ok_or_else(|| AppError::bad_input("code", INVALID_CODE))?;
    memberships::grant(
        tx,
        tenant.id,
        user.id,
        Grant {
            role: Role::Resident,
            scope: Scope::Household(invite.household_id),
        },
        db.clock().now(),
    )
    .await?;
    uow.audit_by(
        Some(user.id),
        "invite.redeem",
        "household",
        invite.household_id,
        json!({ "invite": invite.id }),
    );
    for guess in guesses {
        attempts::forgive(tx, guess).await?;
    }
    if existing {
        // Their sessions in this firm now reach the household too.
        uow.publish(Event::AccessChanged);
    }
    uow.commit().await?;
    auth::open_session(db, user.id, tenant).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_survive_what_people_type() {
        let code = new_code();
        assert_eq!(code.len(), 9);
        let n = normalise(&code);
        assert!(n.is_some());
        assert_eq!(normalise(&code.to_lowercase()), n);
        assert_eq!(normalise(&code.replace('-', " ")), n);
        assert_eq!(normalise("ABCD-EFG0"), None, "0 is not in the alphabet");
        assert_eq!(normalise("ABC"), None);
    }

    #[test]
    fn hashes_differ_per_tenant() {
        assert_ne!(
            hash_code(Uuid::from_u128(1), "ABCDEFGH"),
            hash_code(Uuid::from_u128(2), "ABCDEFGH")
        );
    }
}
