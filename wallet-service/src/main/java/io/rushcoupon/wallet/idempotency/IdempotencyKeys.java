package io.rushcoupon.wallet.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.rushcoupon.wallet.config.WalletProperties;

/**
 * The rows of redemption_idempotency (V3__wallet.sql). A claimed key's lease_until is also its
 * owner's token: a request that took a key over wrote a later one, so the request it replaced can
 * neither complete nor release the key any more.
 */
@Repository
class IdempotencyKeys {

    private static final String COMPLETED = "COMPLETED";
    /** A key deleted between our insert and our read (released, purged) is claimed again; not forever. */
    private static final int CLAIM_ATTEMPTS = 3;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration lease;

    IdempotencyKeys(JdbcClient jdbc, Clock clock, WalletProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.lease = properties.idempotency().lease();
    }

    /** The outcome of claiming a key: this request runs, or the key's state decides. */
    sealed interface Claim {

        /** This request holds the key IN_PROGRESS until {@code leaseUntil}. */
        record Taken(Instant leaseUntil) implements Claim {
        }

        record Decided(IdempotentOutcome outcome) implements Claim {
        }
    }

    private record KeyRow(String fingerprint, String state, Instant leaseUntil, @Nullable Integer responseStatus,
            @Nullable String responseBody) {
    }

    /** Run outside the request's transaction: a claim is committed before the work begins. */
    Claim claim(long userId, String key, String fingerprint) {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            Instant now = now();
            Instant leaseUntil = now.plus(lease);
            int inserted = jdbc.sql("""
                    INSERT INTO redemption_idempotency (user_id, idempotency_key, fingerprint, state, lease_until,
                                                        created_at)
                    VALUES (:user, :key, :fingerprint, 'IN_PROGRESS', :leaseUntil, :now)
                    ON CONFLICT (user_id, idempotency_key) DO NOTHING""")
                    .param("user", userId).param("key", key).param("fingerprint", fingerprint)
                    .param("leaseUntil", at(leaseUntil)).param("now", at(now))
                    .update();
            if (inserted == 1) {
                return new Claim.Taken(leaseUntil);
            }
            Optional<KeyRow> row = find(userId, key);
            if (row.isEmpty()) {
                continue;
            }
            KeyRow existing = row.get();
            if (!existing.fingerprint().equals(fingerprint)) {
                return new Claim.Decided(new IdempotentOutcome.KeyReused());
            }
            if (COMPLETED.equals(existing.state())) {
                // the table's check: a COMPLETED key has its answer
                return new Claim.Decided(new IdempotentOutcome.Answered(new StoredAnswer(
                        Objects.requireNonNull(existing.responseStatus()), Objects.requireNonNullElse(existing.responseBody(), "")), true));
            }
            if (existing.leaseUntil().isAfter(now)) {
                return new Claim.Decided(new IdempotentOutcome.InProgress(Duration.between(now, existing.leaseUntil())));
            }
            // the first request's service died before it committed: its lease has passed, this retry takes over
            int taken = jdbc.sql("""
                    UPDATE redemption_idempotency SET lease_until = :leaseUntil
                    WHERE user_id = :user AND idempotency_key = :key AND state = 'IN_PROGRESS'
                      AND fingerprint = :fingerprint AND lease_until <= :now""")
                    .param("user", userId).param("key", key).param("fingerprint", fingerprint)
                    .param("leaseUntil", at(leaseUntil)).param("now", at(now))
                    .update();
            if (taken == 1) {
                return new Claim.Taken(leaseUntil);
            }
        }
        return new Claim.Decided(new IdempotentOutcome.InProgress(lease));
    }

    /**
     * Stores the answer of the request that holds the key; in that request's transaction, so the key
     * is COMPLETED exactly when the answer took effect. False when the key is no longer this request's.
     */
    boolean complete(long userId, String key, Instant leaseUntil, StoredAnswer answer) {
        return jdbc.sql("""
                UPDATE redemption_idempotency
                SET state = 'COMPLETED', response_status = :status, response_body = :body, completed_at = :now
                WHERE user_id = :user AND idempotency_key = :key AND state = 'IN_PROGRESS'
                  AND lease_until = :leaseUntil""")
                .param("status", answer.status()).param("body", answer.body()).param("now", at(now()))
                .param("user", userId).param("key", key).param("leaseUntil", at(leaseUntil))
                .update() == 1;
    }

    /** Gives up a key this request holds, so a retry can run at once instead of after the lease. */
    void release(long userId, String key, Instant leaseUntil) {
        jdbc.sql("""
                DELETE FROM redemption_idempotency
                WHERE user_id = :user AND idempotency_key = :key AND state = 'IN_PROGRESS'
                  AND lease_until = :leaseUntil""")
                .param("user", userId).param("key", key).param("leaseUntil", at(leaseUntil))
                .update();
    }

    /** Deletes at most {@code limit} keys created before {@code cutoff}, oldest first; answers how many. */
    int deleteCreatedBefore(Instant cutoff, int limit) {
        return jdbc.sql("""
                DELETE FROM redemption_idempotency
                WHERE (user_id, idempotency_key) IN (
                    SELECT user_id, idempotency_key FROM redemption_idempotency
                    WHERE created_at < :cutoff ORDER BY created_at LIMIT :limit)""")
                .param("cutoff", at(cutoff)).param("limit", limit)
                .update();
    }

    private Optional<KeyRow> find(long userId, String key) {
        return jdbc.sql("""
                SELECT fingerprint, state, lease_until, response_status, response_body
                FROM redemption_idempotency WHERE user_id = :user AND idempotency_key = :key""")
                .param("user", userId).param("key", key)
                .query((rs, n) -> new KeyRow(rs.getString("fingerprint"), rs.getString("state"),
                        rs.getObject("lease_until", OffsetDateTime.class).toInstant(),
                        rs.getObject("response_status", Integer.class), rs.getString("response_body")))
                .optional();
    }

    /** PostgreSQL keeps microseconds: a lease_until compared for equality must be written as it is kept. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
