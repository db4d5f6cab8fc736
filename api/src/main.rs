//! `courtyard`: serve (default), migrate, demo.

use std::process::ExitCode;

use api::platform::configuration::{DatabaseSettings, LogFormat, ServeSettings};
use api::platform::db::Db;
use api::platform::graphql::limits::RequestLimits;
use api::startup::Application;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use sea_orm::DbBackend;

#[derive(Parser)]
#[command(
    name = "courtyard",
    version,
    about = "Bundled property management: fees, waivers, accounts, repairs."
)]
struct Cli {
    /// Log format on stderr.
    #[arg(long, env = "COURTYARD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web app (the default). Creates and migrates an SQLite database.
    Serve(ServeSettings),
    /// Apply pending database migrations (on PostgreSQL, as the schema owner).
    Migrate(DatabaseSettings),
    /// Close a month of common-part income for every compound of a firm: costs deducted, the
    /// net split 70/30 (or as each compound's owners decided) and posted, the month locked.
    /// Running it again closes only what is not yet closed.
    Close {
        #[command(flatten)]
        database: DatabaseSettings,
        /// The firm's slug.
        #[arg(long)]
        tenant: String,
        /// The month, YYYY-MM (it must have ended).
        #[arg(long)]
        period: String,
    },
    /// Bill every active household of a firm (or one bundle or compound) for a month. Running
    /// it again, or after an interruption, bills only who is not yet billed.
    Bill {
        #[command(flatten)]
        database: DatabaseSettings,
        /// The firm's slug.
        #[arg(long)]
        tenant: String,
        /// The month, YYYY-MM.
        #[arg(long)]
        period: String,
        /// Only this bundle (its id).
        #[arg(long, conflicts_with = "compound")]
        bundle: Option<uuid::Uuid>,
        /// Only this compound (its id).
        #[arg(long)]
        compound: Option<uuid::Uuid>,
        /// Households per transaction: an interruption loses at most one batch.
        #[arg(long, default_value_t = api::billing::DEFAULT_BATCH)]
        batch: std::num::NonZeroU64,
    },
    /// Ledger maintenance.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Online payment through Stripe.
    Stripe {
        #[command(subcommand)]
        command: StripeCommand,
    },
    /// Seed demo data (idempotent): firms `demo` and `rival`, one user per role.
    Demo {
        #[command(flatten)]
        database: DatabaseSettings,
        /// Instead, seed a synthetic firm `bench` with this many households: a city, in
        /// compounds of 200 and bundles of 50 compounds, with a year of billing and payments.
        #[arg(long)]
        households: Option<u32>,
        /// With `--households`: spread them over this many compounds instead.
        #[arg(long, requires = "households")]
        compounds: Option<u32>,
        /// With `--households`: group the compounds in this many bundles instead.
        #[arg(long, requires = "households")]
        bundles: Option<u32>,
        /// With `--households`: bill and collect this many months, ending last month, instead
        /// of twelve (0: none).
        #[arg(long, requires = "households", value_parser = clap::value_parser!(u32).range(0..=120))]
        months: Option<u32>,
    },
}

/// `courtyard` with no subcommand serves, configured from the environment.
#[derive(Parser)]
struct DefaultServe {
    #[command(flatten)]
    settings: ServeSettings,
}

#[derive(Subcommand)]
enum StripeCommand {
    /// List the Stripe account's payments and refunds since a date, apply any that webhooks
    /// missed (idempotently) and report what does not match. Exits non-zero on mismatches.
    Reconcile {
        #[command(flatten)]
        database: DatabaseSettings,
        #[command(flatten)]
        stripe: api::platform::configuration::StripeSettings,
        /// YYYY-MM-DD (UTC).
        #[arg(long)]
        since: chrono::NaiveDate,
    },
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Recompute every balance from the postings, check every entry sums to zero and the hash
    /// chain is intact. Exits non-zero on any discrepancy.
    Verify {
        #[command(flatten)]
        database: DatabaseSettings,
        /// Only this firm (its slug).
        #[arg(long)]
        tenant: Option<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    api::platform::telemetry::init(cli.log_format, api::platform::telemetry::DEFAULT_FILTER);
    let command = cli
        .command
        .unwrap_or_else(|| Command::Serve(DefaultServe::parse_from(["courtyard"]).settings));
    match run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "courtyard failed");
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Connects (with a statement time limit when serving) and migrates a new SQLite file.
async fn open(
    database: &DatabaseSettings,
    migrate_sqlite: bool,
    statement_timeout: Option<Duration>,
) -> Result<Db, BoxError> {
    let url = &database.database_url;
    let db = match statement_timeout {
        Some(limit) => Db::connect_serving(url, limit).await?,
        None => Db::connect(url).await?,
    };
    if migrate_sqlite && db.backend() == DbBackend::Sqlite {
        db.migrate().await?;
    }
    Ok(db)
}

async fn run(command: Command) -> Result<(), BoxError> {
    match command {
        Command::Serve(settings) => {
            let limits =
                RequestLimits::with_time(Duration::from_secs(settings.request_timeout_secs));
            let db = open(&settings.database, true, Some(limits.time)).await?;
            let pending = db.pending_migrations().await?;
            if pending > 0 {
                return Err(format!(
                    "{pending} migration(s) pending: run `courtyard migrate` as the schema owner"
                )
                .into());
            }
            let stripe =
                api::online::stripe::Stripe::from_settings(&settings.stripe)?.map(Arc::new);
            if stripe.is_none() {
                tracing::info!(
                    "STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET not set: online payment is off"
                );
            }
            // Orders no contractor answered in time are passed on, every half minute.
            tokio::spawn(api::dispatch::watch(db.clone(), Duration::from_secs(30)));
            let files = api::platform::files::FileStore::local(settings.files_dir);
            let app = Application::build(
                db,
                settings.listen,
                settings.static_dir,
                files,
                stripe,
                limits,
            )?;
            let url = format!("http://{}:{}/", settings.listen.ip(), app.port());
            tracing::info!(%url, "courtyard is listening");
            eprintln!("Courtyard is running at {url}  (Ctrl-C to stop)");
            app.run_until_stopped().await?;
            Ok(())
        }
        Command::Migrate(database) => {
            let db = open(&database, false, None).await?;
            db.migrate().await?;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::Bill {
            database,
            tenant,
            period,
            bundle,
            compound,
            batch,
        } => {
            use api::billing::{RunScope, run_billing_for_slug};
            let period = domain::billing::BillingPeriod::parse(&period)
                .map_err(|e| format!("--period: {e}"))?;
            let scope = match (bundle, compound) {
                (Some(b), _) => RunScope::Bundle(b),
                (_, Some(c)) => RunScope::Compound(c),
                _ => RunScope::Tenant,
            };
            let db = open(&database, false, None).await?;
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} households {per_sec} eta {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let started = std::time::Instant::now();
            let report = run_billing_for_slug(&db, &tenant, period, scope, batch, |done, total| {
                bar.set_length(total);
                bar.set_position(done);
            })
            .await?;
            bar.finish_and_clear();
            eprintln!(
                "{tenant} {period}: {} households, {} invoiced ({} due), {} already invoiced, {} without a fee schedule, in {:.1} s",
                report.households,
                report.invoiced,
                report.total_due,
                report.skipped_already_invoiced,
                report.skipped_no_schedule,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Close {
            database,
            tenant,
            period,
        } => {
            let period = domain::billing::BillingPeriod::parse(&period)
                .map_err(|e| format!("--period: {e}"))?;
            let db = open(&database, false, None).await?;
            let firm = {
                let tx = db.begin_global().await?;
                let firm = api::tenancy::tenants::find_by_slug(&tx, &tenant).await?;
                tx.commit().await?;
                firm.ok_or_else(|| format!("--tenant: no firm with slug {tenant:?}"))?
            };
            let started = std::time::Instant::now();
            let report = api::income::close_firm(&db, firm.id, period).await?;
            for (compound, why) in &report.refused {
                eprintln!("{}: not closed: {why}", compound.name);
            }
            eprintln!(
                "{tenant} {period}: {} compounds closed, {} closed before, {} refused, in {:.1} s",
                report.closed,
                report.already_closed,
                report.refused.len(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Ledger {
            command: LedgerCommand::Verify { database, tenant },
        } => {
            let db = open(&database, false, None).await?;
            let started = std::time::Instant::now();
            let results = api::tenancy::verify_ledgers(&db, tenant.as_deref()).await?;
            let (mut problems, mut entries, mut postings) = (0, 0, 0);
            for (slug, v) in &results {
                let verdict = if v.problems.is_empty() {
                    "ok".to_owned()
                } else {
                    format!("{} problem(s)", v.problems.len())
                };
                eprintln!(
                    "{slug}: {} entries, {} postings, {} accounts: {verdict}",
                    v.entries, v.postings, v.accounts
                );
                for p in &v.problems {
                    eprintln!("  - {p}");
                }
                problems += v.problems.len();
                entries += v.entries;
                postings += v.postings;
            }
            let secs = started.elapsed().as_secs_f64();
            eprintln!("verified {entries} entries and {postings} postings in {secs:.2} s");
            if problems > 0 {
                return Err(format!("the ledger has {problems} problem(s)").into());
            }
            Ok(())
        }
        Command::Stripe {
            command:
                StripeCommand::Reconcile {
                    database,
                    stripe,
                    since,
                },
        } => {
            let stripe = api::online::stripe::Stripe::from_settings(&stripe)?
                .ok_or("STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set")?;
            let db = open(&database, false, None).await?;
            let since = since.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
            let r = api::online::reconcile(&db, &stripe, since).await?;
            eprintln!(
                "since {since}: {} payments seen, {} applied now; {} refunds seen, {} applied now",
                r.intents_seen, r.payments_applied, r.refunds_seen, r.refunds_applied
            );
            for m in &r.mismatches {
                eprintln!("  mismatch: {m}");
            }
            if !r.mismatches.is_empty() {
                return Err(format!("{} mismatch(es)", r.mismatches.len()).into());
            }
            Ok(())
        }
        Command::Demo {
            database,
            households,
            compounds,
            bundles,
            months,
        } => {
            let db = open(&database, true, None).await?;
            let report = match households {
                Some(n) => {
                    let city = match compounds {
                        Some(c) => api::demo::Synthetic::in_compounds(n, c),
                        None => api::demo::Synthetic::city(n),
                    };
                    let plan = api::demo::Synthetic {
                        bundles: bundles.unwrap_or(city.bundles),
                        months: months.unwrap_or(city.months),
                        ..city
                    };
                    api::demo::seed_synthetic(&db, plan).await?
                }
                None => api::demo::seed(&db).await?,
            };
            eprintln!(
                "demo data: created {:?}, already present {:?}, {} households added",
                report.tenants_created, report.tenants_skipped, report.households
            );
            if households.is_none() {
                eprintln!(
                    "sign in as admin@demo.test (or accountant@, resident@, …) with password {}",
                    api::demo::DEMO_PASSWORD
                );
            }
            Ok(())
        }
    }
}
