package io.rushcoupon.admin;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.BeforeEach;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.jayway.jsonpath.JsonPath;

import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.testsupport.RealServerTest;
import io.rushcoupon.testsupport.TestTokens;

/**
 * Base of the admin service's integration tests: one Spring context on the real PostgreSQL
 * (schema it_admin_service) and Redis (the module's own database), shared by every subclass.
 * Each test starts from empty tables and an empty Redis database.
 */
@SpringBootTest(properties = "management.endpoint.health.show-components=always")
@RealServerTest
@AutoConfigureMockMvc
public abstract class AdminIntegrationTest {

    protected static final String COUPONS = "/api/v1/admin/coupons";

    /**
     * Values no money field may take ({@code numeric(12, 2)}, above zero), as {@code what | value}
     * rows for a {@code @CsvSource}.
     */
    protected static final String NOT_MONEY = """
            three fraction digits | 10.005
            zero                  | 0
            negative              | -0.01
            ten to the fifteenth  | 1000000000000000
            eleven integer digits | 10000000000
            text                  | "ten"
            """;

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected RedissonClient redisson;

    /** A spy, so a test can make Redis fail; otherwise the real client. */
    @MockitoSpyBean
    protected CouponRedis couponRedis;

    /** The services' clock, with a hook to play the worker between a read and a write. */
    @TestBean(name = "clock", methodName = "createClock")
    protected Clock clock;

    static Clock createClock() {
        return new HookableClock();
    }

    protected HookableClock hookableClock() {
        return (HookableClock) clock;
    }

    @BeforeEach
    void startFromNothing() {
        hookableClock().reset();
        jdbc.sql("""
                TRUNCATE coupon_redemption, redemption_idempotency, coupon_issuance, issue_rejection, app_user, coupon,
                         notification
                RESTART IDENTITY CASCADE""").update();
        redisson.getKeys().flushdb();
    }

    protected static String adminToken() {
        return "Bearer " + TestTokens.admin();
    }

    /** A request with the admin's bearer token. */
    protected static MockHttpServletRequestBuilder asAdmin(MockHttpServletRequestBuilder request) {
        return request.header(HttpHeaders.AUTHORIZATION, adminToken());
    }

    protected static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
        return asAdmin(request).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    /** A valid create body: an open window (started an hour ago, ends in a day), 100 units. */
    protected static String couponJson(String code) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return couponJson(code, 100, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    protected static String couponJson(String code, int total, Instant startsAt, Instant endsAt) {
        return """
                {"code":"%s","name":"Coupon %s","type":"FIXED_AMOUNT","discountValue":5.50,
                 "totalQuantity":%d,"issueStartsAt":"%s","issueEndsAt":"%s","validDays":30}
                """.formatted(code, code, total, startsAt, endsAt);
    }

    /** Creates a coupon through the API and answers its id. */
    protected long createCoupon(String body) throws Exception {
        MvcResult result = mvc.perform(json(post(COUPONS), body)).andExpect(status().isCreated()).andReturn();
        return ((Number) JsonPath.read(result.getResponse().getContentAsString(), "$.id")).longValue();
    }

    protected long createCoupon(String code, int total, Instant startsAt, Instant endsAt) throws Exception {
        return createCoupon(couponJson(code, total, startsAt, endsAt));
    }

    protected long createOpenCoupon(String code) throws Exception {
        return createCoupon(couponJson(code));
    }

    /**
     * What the worker does when it issues a unit: a user row, an issuance row, and the stock
     * decremented with the version bumped by plain SQL.
     */
    protected void issue(long couponId, long userId, String requestId, Instant issuedAt) {
        issue(couponId, userId, requestId, issuedAt, issuedAt.plus(Duration.ofDays(30)));
    }

    /** As {@link #issue(long, long, String, Instant)}, valid until {@code expiresAt}; answers the row's id. */
    protected long issue(long couponId, long userId, String requestId, Instant issuedAt, Instant expiresAt) {
        jdbc.sql("INSERT INTO app_user (id, email, username) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")
                .params(userId, "user" + userId + "@example.test", "user" + userId).update();
        long id = jdbc.sql("""
                INSERT INTO coupon_issuance (coupon_id, user_id, request_id, issued_at, expires_at)
                VALUES (?, ?, ?, ?, ?) RETURNING id""")
                .params(couponId, userId, requestId, java.sql.Timestamp.from(issuedAt),
                        java.sql.Timestamp.from(expiresAt))
                .query(Long.class).single();
        jdbc.sql("UPDATE coupon SET remaining_quantity = remaining_quantity - 1, version = version + 1 WHERE id = ?")
                .param(couponId).update();
        return id;
    }

    /**
     * What the wallet does when a user redeems an issued coupon: the row REDEEMED, a redemption
     * standing. Answers the redemption's id.
     */
    protected long redeem(long issuanceId, String orderId, String orderAmount, String discount, Instant at) {
        jdbc.sql("UPDATE coupon_issuance SET status = 'REDEEMED', redeemed_at = ? WHERE id = ?")
                .params(java.sql.Timestamp.from(at), issuanceId).update();
        return jdbc.sql("""
                INSERT INTO coupon_redemption (issuance_id, coupon_id, user_id, order_id, order_amount, discount,
                                               payable, redeemed_at)
                SELECT id, coupon_id, user_id, ?, ?::numeric, ?::numeric, ?::numeric - ?::numeric, ?
                FROM coupon_issuance WHERE id = ? RETURNING id""")
                .params(orderId, orderAmount, discount, orderAmount, discount, java.sql.Timestamp.from(at), issuanceId)
                .query(Long.class).single();
    }

    /** What the wallet does when a user cancels a redemption: it is CANCELLED, its coupon AVAILABLE again. */
    protected void cancelRedemption(long redemptionId, Instant at) {
        long issuanceId = jdbc.sql("""
                UPDATE coupon_redemption SET status = 'CANCELLED', cancelled_at = ? WHERE id = ? RETURNING issuance_id""")
                .params(java.sql.Timestamp.from(at), redemptionId).query(Long.class).single();
        jdbc.sql("UPDATE coupon_issuance SET status = 'AVAILABLE', redeemed_at = NULL WHERE id = ?")
                .param(issuanceId).update();
    }

    /** What the wallet's expiry job does to an AVAILABLE row past its expiresAt. */
    protected void markExpired(long issuanceId, Instant at) {
        jdbc.sql("UPDATE coupon_issuance SET status = 'EXPIRED', expired_at = ? WHERE id = ?")
                .params(java.sql.Timestamp.from(at), issuanceId).update();
    }

    /**
     * What the gateway does when it admits a request: Redis's stock taken, the user remembered, the
     * request pending. Fails the test when Redis refuses it.
     */
    protected RequestId admit(long couponId, long userId) {
        RequestId requestId = RequestId.newFor(couponId);
        PrecheckResult result = couponRedis.precheck(requestId, userId, null, null, Duration.ofHours(1));
        if (!result.accepted()) {
            throw new AssertionError("Redis refused user " + userId + " of coupon " + couponId + ": " + result);
        }
        return requestId;
    }

    protected long version(long couponId) {
        return jdbc.sql("SELECT version FROM coupon WHERE id = ?").param(couponId).query(Long.class).single();
    }

    protected long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    /** Plays the worker taking a unit in its own transaction: only the version moves here. */
    protected void bumpVersionElsewhere(long couponId) {
        java.util.concurrent.CompletableFuture.runAsync(() ->
                jdbc.sql("UPDATE coupon SET version = version + 1 WHERE id = ?").param(couponId).update()).join();
    }

    protected long redisKeyCount() {
        return redisson.getKeys().count();
    }
}
