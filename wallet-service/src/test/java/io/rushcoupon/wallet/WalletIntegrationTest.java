package io.rushcoupon.wallet;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.rushcoupon.testsupport.RealServerTest;
import io.rushcoupon.testsupport.TestTokens;

/**
 * Base of the wallet's integration tests: one Spring context on the real PostgreSQL (schema
 * it_wallet_service), shared by every subclass. Each test starts from empty tables; rows the
 * worker and the admin would write are written here with plain SQL, as they write them.
 */
// the expiry job's schedule stays out of the way: tests run it themselves (ExpiryJob.expireDue)
@SpringBootTest(properties = "rushcoupon.wallet.expiry.interval=1000h")
@RealServerTest
@AutoConfigureMockMvc
public abstract class WalletIntegrationTest {

    protected static final String ME = "/api/v1/me";

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected JdbcClient jdbc;

    /** The wallet's clock: the system's unless a test sets it. */
    @TestBean(name = "clock", methodName = "createClock")
    protected Clock clock;

    static Clock createClock() {
        return new WalletClock();
    }

    protected WalletClock walletClock() {
        return (WalletClock) clock;
    }

    @BeforeEach
    void startFromNothing() {
        walletClock().reset();
        jdbc.sql("TRUNCATE redemption_idempotency, coupon_redemption, coupon_issuance, issue_rejection, app_user, "
                + "coupon, shedlock RESTART IDENTITY CASCADE").update();
    }

    /** A request with user {@code userId}'s bearer token. */
    protected static MockHttpServletRequestBuilder as(long userId, MockHttpServletRequestBuilder request) {
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.user(userId));
    }

    /** A coupon as the admin publishes it; answers its id. */
    protected long coupon(String code, String type, String discountValue, @Nullable String maxDiscount,
            @Nullable String minOrder) {
        Instant now = Instant.now();
        return jdbc.sql("""
                INSERT INTO coupon (code, name, type, discount_value, max_discount_amount, min_order_amount,
                                    total_quantity, remaining_quantity, issue_starts_at, issue_ends_at, valid_days)
                VALUES (?, ?, ?, ?, ?, ?, 100, 100, ?, ?, 30)
                RETURNING id""")
                .params(code, "Coupon " + code, type, new BigDecimal(discountValue),
                        maxDiscount == null ? null : new BigDecimal(maxDiscount),
                        minOrder == null ? null : new BigDecimal(minOrder),
                        Timestamp.from(now.minusSeconds(3600)), Timestamp.from(now.plusSeconds(86_400)))
                .query(Long.class).single();
    }

    /** A FIXED_AMOUNT coupon of 5.50 off, no minimum. */
    protected long fixedCoupon(String code) {
        return coupon(code, "FIXED_AMOUNT", "5.50", null, null);
    }

    /**
     * What the worker does when it issues a unit of {@code couponId} to {@code userId}: the user row,
     * the issuance row (AVAILABLE), the stock taken. Answers the issuance id.
     */
    protected long issue(long couponId, long userId, Instant issuedAt, Instant expiresAt) {
        jdbc.sql("INSERT INTO app_user (id, email, username) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")
                .params(userId, "user" + userId + "@example.test", "user" + userId).update();
        long id = jdbc.sql("""
                INSERT INTO coupon_issuance (coupon_id, user_id, request_id, issued_at, expires_at)
                VALUES (?, ?, ?, ?, ?) RETURNING id""")
                // PostgreSQL rounds to microseconds, the wallet truncates its clock to them: truncated
                // here, a boundary a test sets with the same instant is the boundary the wallet sees
                .params(couponId, userId, couponId + "-" + java.util.UUID.randomUUID(),
                        Timestamp.from(issuedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS)),
                        Timestamp.from(expiresAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS)))
                .query(Long.class).single();
        jdbc.sql("UPDATE coupon SET remaining_quantity = remaining_quantity - 1, version = version + 1 WHERE id = ?")
                .param(couponId).update();
        return id;
    }

    /** A unit issued now, valid 30 days. */
    protected long issue(long couponId, long userId) {
        Instant now = clock.instant();
        return issue(couponId, userId, now, now.plus(java.time.Duration.ofDays(30)));
    }

    protected long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }
}
