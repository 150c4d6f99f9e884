//! Opening keys, consultation sealing keys, and deposited bids.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::codec::{secs, split, ts};
use crate::{Bid, ConsultationKey, NewBid, NewBidFile, Opening, Store, StoreError, Tx};

const BID_COLUMNS: &str = "b.id, b.consultation_id, b.organisation_id, o.name AS organisation_name, o.siret, b.user_id, \
    u.email AS user_email, b.lots, b.started_at_micros, b.received_at_micros, b.late, b.receipt";
const BID_FROM: &str = "FROM bids b JOIN organisations o ON o.id = b.organisation_id JOIN users u ON u.id = b.user_id";

fn numbers(text: &str) -> Result<Vec<i64>, StoreError> {
    split(text).map(|n| n.parse().map_err(|_| StoreError::Corrupt(format!("number list {text}")))).collect()
}

impl Store {
    /// The buyer's registered opening key, if any.
    pub async fn opening_key(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query("SELECT public_key FROM opening_keys WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }

    /// The opening committee of an organisation: its buyers who registered a key.
    pub async fn committee_keys(&self, organisation_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
        sqlx::query(
            "SELECT k.user_id, k.public_key FROM opening_keys k JOIN users u ON u.id = k.user_id
             WHERE u.organisation_id = $1 AND u.role IN ('acheteur', 'admin_organisation') ORDER BY k.user_id",
        )
        .bind(organisation_id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
    }

    pub async fn consultation_key(&self, consultation_id: i64) -> Result<ConsultationKey, StoreError> {
        let r = sqlx::query(
            "SELECT consultation_id, public_key, wrapped_identity, committee, created_at, opened_identity, unlocked_by,
                    unlocked_at, candidatures_opened_at, offres_opened_at, offres_opened_lots
             FROM consultation_keys WHERE consultation_id = $1",
        )
        .bind(consultation_id)
        .fetch_one(&self.read)
        .await?;
        let committee: String = r.try_get("committee")?;
        Ok(ConsultationKey {
            consultation_id: r.try_get("consultation_id")?,
            public_key: r.try_get("public_key")?,
            wrapped_identity: r.try_get("wrapped_identity")?,
            committee: numbers(&committee)?,
            created_at: ts(r.try_get("created_at")?),
            opening: Opening {
                identity: r.try_get("opened_identity")?,
                unlocked_by: r.try_get("unlocked_by")?,
                unlocked_at: r.try_get::<Option<i64>, _>("unlocked_at")?.map(ts),
                candidatures_opened_at: r.try_get::<Option<i64>, _>("candidatures_opened_at")?.map(ts),
                offres_opened_at: r.try_get::<Option<i64>, _>("offres_opened_at")?.map(ts),
                offres_opened_lots: numbers(&r.try_get::<String, _>("offres_opened_lots")?)?,
            },
        })
    }

    async fn bid_files(&self, bid_id: i64) -> Result<Vec<NewBidFile>, StoreError> {
        sqlx::query(
            "SELECT envelope, name, plain_size, plain_sha256, sealed_size, storage_key FROM bid_files
             WHERE bid_id = $1 ORDER BY id",
        )
        .bind(bid_id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(NewBidFile {
                envelope: r.try_get("envelope")?,
                name: r.try_get("name")?,
                plain_size: r.try_get("plain_size")?,
                plain_sha256: r.try_get("plain_sha256")?,
                sealed_size: r.try_get("sealed_size")?,
                storage_key: r.try_get("storage_key")?,
            })
        })
        .collect()
    }

    async fn bid_from(&self, r: &AnyRow) -> Result<Bid, StoreError> {
        let id: i64 = r.try_get("id")?;
        let lots: String = r.try_get("lots")?;
        let late: i64 = r.try_get("late")?;
        Ok(Bid {
            id,
            consultation_id: r.try_get("consultation_id")?,
            organisation_id: r.try_get("organisation_id")?,
            organisation_name: r.try_get("organisation_name")?,
            siret: r.try_get("siret")?,
            user_id: r.try_get("user_id")?,
            user_email: r.try_get("user_email")?,
            lots: numbers(&lots)?,
            started_at_micros: r.try_get("started_at_micros")?,
            received_at_micros: r.try_get("received_at_micros")?,
            late: late != 0,
            receipt: r.try_get("receipt")?,
            files: self.bid_files(id).await?,
        })
    }

    pub async fn bid(&self, id: i64) -> Result<Bid, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {BID_COLUMNS} {BID_FROM} WHERE b.id = $1")))
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        self.bid_from(&r).await
    }

    /// Every bid of a consultation, in the order received.
    pub async fn bids(&self, consultation_id: i64) -> Result<Vec<Bid>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {BID_COLUMNS} {BID_FROM} WHERE b.consultation_id = $1 ORDER BY b.received_at_micros, b.id"
        )))
        .bind(consultation_id)
        .fetch_all(&self.read)
        .await?;
        let mut bids = Vec::with_capacity(rows.len());
        for r in &rows {
            bids.push(self.bid_from(r).await?);
        }
        Ok(bids)
    }

    pub async fn bid_count(&self, consultation_id: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM bids WHERE consultation_id = $1")
            .bind(consultation_id)
            .fetch_one(&self.read)
            .await?
            .try_get(0)?)
    }
}

impl Tx {
    /// Registers or replaces a buyer's opening key.
    pub async fn set_opening_key(&mut self, user_id: i64, public_key: &str, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO opening_keys (user_id, public_key, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET public_key = excluded.public_key, created_at = excluded.created_at",
        )
        .bind(user_id)
        .bind(public_key)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn insert_consultation_key(&mut self, key: &ConsultationKey) -> Result<(), StoreError> {
        let committee: Vec<String> = key.committee.iter().map(i64::to_string).collect();
        sqlx::query(
            "INSERT INTO consultation_keys (consultation_id, public_key, wrapped_identity, committee, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(key.consultation_id)
        .bind(&key.public_key)
        .bind(&key.wrapped_identity)
        .bind(committee.join("|"))
        .bind(secs(key.created_at))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Records a bid and its sealed files; the receipt is set once the id is known.
    pub async fn insert_bid(&mut self, bid: &NewBid, files: &[NewBidFile]) -> Result<i64, StoreError> {
        let lots: Vec<String> = bid.lots.iter().map(i64::to_string).collect();
        let id: i64 = sqlx::query(
            "INSERT INTO bids (consultation_id, organisation_id, user_id, lots, started_at_micros, received_at_micros, late, receipt)
             VALUES ($1, $2, $3, $4, $5, $6, $7, '') RETURNING id",
        )
        .bind(bid.consultation_id)
        .bind(bid.organisation_id)
        .bind(bid.user_id)
        .bind(lots.join("|"))
        .bind(bid.started_at_micros)
        .bind(bid.received_at_micros)
        .bind(i64::from(bid.late))
        .fetch_one(&mut *self.inner)
        .await?
        .try_get(0)?;
        for f in files {
            sqlx::query(
                "INSERT INTO bid_files (bid_id, envelope, name, plain_size, plain_sha256, sealed_size, storage_key)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(&f.envelope)
            .bind(&f.name)
            .bind(f.plain_size)
            .bind(&f.plain_sha256)
            .bind(f.sealed_size)
            .bind(&f.storage_key)
            .execute(&mut *self.inner)
            .await?;
        }
        Ok(id)
    }

    /// Keeps the unwrapped consultation key: the plis may now be opened.
    pub async fn unlock_bids(
        &mut self,
        consultation_id: i64,
        identity: &str,
        by: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE consultation_keys SET opened_identity = $2, unlocked_by = $3, unlocked_at = $4
             WHERE consultation_id = $1 AND opened_identity IS NULL",
        )
        .bind(consultation_id)
        .bind(identity)
        .bind(by)
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Marks one envelope (`candidature` or `offre`) of every pli as opened.
    pub async fn open_envelope(
        &mut self,
        consultation_id: i64,
        envelope: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let sql = match envelope {
            "candidature" => "UPDATE consultation_keys SET candidatures_opened_at = $2 WHERE consultation_id = $1",
            "offre" => "UPDATE consultation_keys SET offres_opened_at = $2 WHERE consultation_id = $1",
            other => return Err(StoreError::Corrupt(format!("unknown envelope {other}"))),
        };
        sqlx::query(sql).bind(consultation_id).bind(secs(now)).execute(&mut *self.inner).await?;
        Ok(())
    }

    /// Records that the offers of one lot are opened (and when offers began to be opened).
    pub async fn open_offer_lot(&mut self, consultation_id: i64, lot: i64, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE consultation_keys SET offres_opened_lots = offres_opened_lots || $2,
                offres_opened_at = COALESCE(offres_opened_at, $3)
             WHERE consultation_id = $1",
        )
        .bind(consultation_id)
        .bind(format!("|{lot}|"))
        .bind(secs(now))
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn set_bid_receipt(&mut self, id: i64, receipt: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE bids SET receipt = $2 WHERE id = $1")
            .bind(id)
            .bind(receipt)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }
}
