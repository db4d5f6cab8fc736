//! sea-orm entities, one per table: the schema as the stores read and write it. Only the
//! areas' stores use them (checked by `api/tests/areas.rs`).

pub mod addon_activation;
pub mod audit;
pub mod billing_run;
pub mod building;
pub mod bundle;
pub mod committee_payout;
pub mod compound;
pub mod credit_note;
pub mod demand_notice;
pub mod fee_schedule;
pub mod fee_schedule_item;
pub mod hardship_record;
pub mod household;
pub mod household_member;
pub mod invite_code;
pub mod invoice;
pub mod invoice_line;
pub mod journal_entry;
pub mod ledger_account;
pub mod ledger_head;
pub mod login_failure;
pub mod membership;
pub mod online_refund;
pub mod payment;
pub mod payment_allocation;
pub mod payment_attempt;
pub mod person;
pub mod posting;
pub mod session;
pub mod stripe_event;
pub mod stripe_link;
pub mod tenant;
pub mod user;
pub mod waiver_grant;
