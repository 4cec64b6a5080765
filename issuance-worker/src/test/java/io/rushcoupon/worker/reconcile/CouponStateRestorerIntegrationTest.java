package io.rushcoupon.worker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponView;
import io.rushcoupon.common.redis.PrecheckOutcome;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.common.redis.RequestView;
import io.rushcoupon.common.restore.CouponRecords;
import io.rushcoupon.common.restore.CouponStateRestorer;
import io.rushcoupon.common.restore.RestoreResult;
import io.rushcoupon.worker.WorkerFixture;
import io.rushcoupon.worker.WorkerIntegrationTest;

/** The restorer on its own (no reconciler racing it), with a coupon far larger than one page. */
@SpringBootTest(properties = "rushcoupon.worker.reconciler.enabled=false")
class CouponStateRestorerIntegrationTest extends WorkerIntegrationTest {

    private static final int ISSUED = 20_000;
    /** Not a divisor of {@link #ISSUED}, so the last page is a short one. */
    private static final int PAGE_SIZE = 700;

    @Autowired
    DataSource dataSource;

    private CouponStateRestorer restorer() {
        return new CouponStateRestorer(new CouponRecords(dataSource), fixture.couponRedis(), WorkerFixture.REQUEST_TTL,
                PAGE_SIZE);
    }

    @Test
    void restoresEveryIssuedUserAndStatusOfALargeCouponPageByPage() {
        fixture.openCoupon(401, 50_000, 50_000 - ISSUED, 50_000);
        issueToUsersUpTo(401, ISSUED);
        // Redis restarted empty, with two requests admitted and not yet committed
        redisson.getKeys().flushdb();
        var pending = redisson.getScoredSortedSet(CouponKeys.of(401).pending(), StringCodec.INSTANCE);
        pending.add(Instant.now().toEpochMilli(), RequestId.newFor(401).toString());
        pending.add(Instant.now().toEpochMilli(), RequestId.newFor(401).toString());

        RestoreResult result = restorer().restore(401).orElseThrow();

        assertThat(result).isEqualTo(new RestoreResult(401, ISSUED, ISSUED, 50_000 - ISSUED, 50_000 - ISSUED - 2));
        assertThat(fixture.redisCoupon(401)).map(CouponView::remaining).hasValue(50_000 - ISSUED - 2);
        assertThat(redisson.getMap(CouponKeys.of(401).users(), StringCodec.INSTANCE).size()).isEqualTo(ISSUED);
        for (long user : new long[] {1, PAGE_SIZE, PAGE_SIZE + 1, 12_345, ISSUED}) {
            assertIssuedAndDuplicate(401, user);
        }
    }

    @Test
    void restoringAgainKeepsStatusesRedisStillHas() {
        fixture.openCoupon(402, 10, 8, 10);
        issueToUsersUpTo(402, 2);

        assertThat(restorer().restore(402)).hasValue(new RestoreResult(402, 2, 2, 8, 8));
        assertThat(restorer().restore(402)).hasValue(new RestoreResult(402, 2, 0, 8, 8));
    }

    @Test
    void restoresNothingForACouponPostgresDoesNotHave() {
        assertThat(restorer().restore(499)).isEmpty();
        assertThat(fixture.redisCoupon(499)).isEmpty();
    }

    /** Issuance rows as the worker writes them, for users 1 … {@code users}, in one statement each. */
    private void issueToUsersUpTo(long couponId, int users) {
        fixture.jdbc().sql("INSERT INTO app_user (id) SELECT generate_series(1, ?)").param(users).update();
        fixture.jdbc().sql("""
                INSERT INTO coupon_issuance (coupon_id, user_id, request_id, issued_at, expires_at)
                SELECT ?, u, ? || '-' || gen_random_uuid(), now(), now() + interval '7 days'
                FROM generate_series(1, ?) AS u""").params(couponId, Long.toString(couponId), users).update();
    }

    private void assertIssuedAndDuplicate(long couponId, long user) {
        record Row(String requestId, OffsetDateTime issuedAt) {
        }
        Row row = fixture.jdbc().sql("SELECT request_id, issued_at FROM coupon_issuance WHERE coupon_id = ? AND user_id = ?")
                .params(couponId, user)
                .query((rs, n) -> new Row(rs.getString(1), rs.getObject(2, OffsetDateTime.class)))
                .single();
        RequestView status = fixture.couponRedis().request(RequestId.tryParse(row.requestId())).orElseThrow();
        assertThat(status.status()).isEqualTo(IssueStatus.ISSUED);
        assertThat(status.userId()).isEqualTo(user);
        assertThat(status.issuedAt()).isEqualTo(row.issuedAt().toInstant().truncatedTo(ChronoUnit.MILLIS));
        PrecheckResult again = fixture.couponRedis().precheck(RequestId.newFor(couponId), user, null, null,
                WorkerFixture.REQUEST_TTL);
        assertThat(again.outcome()).isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
        assertThat(again.requestId()).isEqualTo(row.requestId());
    }
}
