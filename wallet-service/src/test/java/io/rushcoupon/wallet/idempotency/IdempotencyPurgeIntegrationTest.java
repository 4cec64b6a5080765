package io.rushcoupon.wallet.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.rushcoupon.wallet.WalletIntegrationTest;
import io.rushcoupon.wallet.config.WalletProperties;

class IdempotencyPurgeIntegrationTest extends WalletIntegrationTest {

    private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");

    @Autowired
    IdempotencyPurge purge;

    @Autowired
    IdempotencyKeys keys;

    @Autowired
    WalletProperties properties;

    @Test
    void deletesOnlyTheKeysOlderThanTheRetention() {
        walletClock().set(NOW);
        Duration retention = properties.idempotency().retention();
        key("expired-long-ago", NOW.minus(retention).minus(Duration.ofDays(3)));
        key("expired-just-now", NOW.minus(retention).minusMillis(1));
        key("at-the-retention", NOW.minus(retention));
        key("recent", NOW.minus(Duration.ofMinutes(5)));

        int deleted = purge.purge();

        assertThat(deleted).isEqualTo(2);
        assertThat(remaining()).containsExactly("at-the-retention", "recent");
    }

    @Test
    void deletesInBatchesOfTheGivenSizeOldestFirst() {
        walletClock().set(NOW);
        Instant old = NOW.minus(properties.idempotency().retention()).minus(Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            key("old-" + i, old.minusSeconds(i));
        }
        key("recent", NOW);

        int firstBatch = keys.deleteCreatedBefore(NOW.minus(properties.idempotency().retention()), 2);

        assertThat(firstBatch).isEqualTo(2);
        assertThat(remaining()).containsExactly("old-0", "old-1", "old-2", "recent");
        assertThat(purge.purge()).isEqualTo(3);
        assertThat(remaining()).containsExactly("recent");
    }

    private void key(String key, Instant createdAt) {
        jdbc.sql("""
                INSERT INTO redemption_idempotency (user_id, idempotency_key, fingerprint, state, lease_until,
                                                    response_status, response_body, created_at, completed_at)
                VALUES (1, ?, ?, 'COMPLETED', ?, 201, '{}', ?, ?)""")
                .params(key, Fingerprint.of(key), Timestamp.from(createdAt), Timestamp.from(createdAt),
                        Timestamp.from(createdAt))
                .update();
    }

    private List<String> remaining() {
        return jdbc.sql("SELECT idempotency_key FROM redemption_idempotency ORDER BY idempotency_key")
                .query(String.class).list();
    }
}
