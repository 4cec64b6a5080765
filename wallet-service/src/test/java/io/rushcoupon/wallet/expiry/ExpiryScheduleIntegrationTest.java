package io.rushcoupon.wallet.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import io.rushcoupon.wallet.WalletIntegrationTest;
import io.rushcoupon.wallet.WalletRows;

/**
 * The schedule itself, on a short interval in a context of its own; closed after the class so its
 * runs do not mark the rows of other tests.
 */
@SpringBootTest(properties = {"rushcoupon.wallet.expiry.interval=200ms", "rushcoupon.wallet.expiry.batch-size=1"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ExpiryScheduleIntegrationTest extends WalletIntegrationTest {

    @Test
    void runsOnItsScheduleUnderTheSharedLockUntilEveryDueCouponIsMarked() {
        Instant now = clock.instant();
        WalletRows rows = new WalletRows(jdbc);
        long first = issue(fixedCoupon("S1"), 31, now.minus(Duration.ofDays(2)), now.minusSeconds(60));
        long second = issue(fixedCoupon("S2"), 31, now.minus(Duration.ofDays(2)), now.minusSeconds(30));
        long future = issue(fixedCoupon("S3"), 31, now, now.plus(Duration.ofDays(1)));

        // generous: 200 ms apart on a busy 2-core machine
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(rows.storedStatus(first)).isEqualTo("EXPIRED");
            assertThat(rows.storedStatus(second)).isEqualTo("EXPIRED");
        });
        assertThat(rows.storedStatus(future)).isEqualTo("AVAILABLE");
        assertThat(jdbc.sql("SELECT count(*) FROM shedlock WHERE name = 'wallet-expiry'").query(Long.class).single())
                .isEqualTo(1);
    }
}
