package io.rushcoupon.admin.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponView;

class CouponUpdateIntegrationTest extends AdminIntegrationTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Autowired
    private Coupons coupons;

    @Autowired
    private PlatformTransactionManager transactionManager;

    private MockHttpServletRequestBuilder patchCoupon(long id, String ifMatch, String body) {
        MockHttpServletRequestBuilder request = json(patch(COUPONS + "/" + id), body);
        return ifMatch == null ? request : request.header(HttpHeaders.IF_MATCH, ifMatch);
    }

    @Test
    void changesNameAndAnswersNextVersionAsETag() throws Exception {
        long id = createOpenCoupon("RENAME");

        mvc.perform(patchCoupon(id, "\"0\"", "{\"name\":\"Renamed drop\"}"))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"1\""))
                .andExpect(jsonPath("$.name").value("Renamed drop"))
                .andExpect(jsonPath("$.version").value(1));

        assertThat(couponRedis.coupon(id).orElseThrow().name()).isEqualTo("Renamed drop");
        mvc.perform(asAdmin(get(COUPONS + "/" + id))).andExpect(header().string("ETag", "\"1\""));
    }

    @Test
    void requiresIfMatch() throws Exception {
        long id = createOpenCoupon("NO-IF-MATCH");

        mvc.perform(patchCoupon(id, null, "{\"name\":\"Blind\"}"))
                .andExpect(status().isPreconditionRequired())
                .andExpect(jsonPath("$.code").value("PRECONDITION_REQUIRED"));
        mvc.perform(patchCoupon(id, "*", "{\"name\":\"Blind\"}"))
                .andExpect(status().isPreconditionRequired())
                .andExpect(jsonPath("$.code").value("PRECONDITION_REQUIRED"));

        assertThat(version(id)).isZero();
        assertThat(couponRedis.coupon(id).orElseThrow().name()).isEqualTo("Coupon NO-IF-MATCH");
    }

    @Test
    void refusesStaleVersionAfterWorkerTookStock() throws Exception {
        long id = createOpenCoupon("STALE");
        issue(id, 5, id + "-00000000-0000-0000-0000-000000000005", NOW);

        mvc.perform(patchCoupon(id, "\"0\"", "{\"name\":\"Too late\"}"))
                .andExpect(status().isPreconditionFailed())
                .andExpect(jsonPath("$.code").value("VERSION_MISMATCH"));
        mvc.perform(patchCoupon(id, "W/\"1\"", "{\"name\":\"Weak\"}"))
                .andExpect(status().isPreconditionFailed());
        mvc.perform(patchCoupon(id, "\"7\", \"1\"", "{\"name\":\"Listed\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("Listed"));
    }

    @Test
    void refusesWhenWorkerBumpsVersionBetweenReadAndWrite() throws Exception {
        long id = createOpenCoupon("RACE");
        // the If-Match check passes on the read; the worker commits before our UPDATE
        hookableClock().onNextReads(1, () -> bumpVersionElsewhere(id));

        mvc.perform(patchCoupon(id, "\"0\"", "{\"name\":\"Lost race\"}"))
                .andExpect(status().isPreconditionFailed())
                .andExpect(jsonPath("$.code").value("VERSION_MISMATCH"));

        assertThat(version(id)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT name FROM coupon WHERE id = ?").param(id).query(String.class).single())
                .isEqualTo("Coupon RACE");
    }

    @Test
    void writesTheEntityWithVersionCheckNeverBlind() throws Exception {
        long id = createOpenCoupon("FENCED");
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            Coupon coupon = coupons.require(id);
            bumpVersionElsewhere(id);
            coupon.update(new UpdateCouponRequest("Blind write", null, null, null, null, null, null, null, null, null),
                    Instant.now());
            coupons.flush();
        })).isInstanceOf(OptimisticLockingFailureException.class);
    }

    @Test
    void movesRemainingByTheChangeOfTotal() throws Exception {
        long id = createOpenCoupon("GROW");
        for (long user = 1; user <= 3; user++) {
            issue(id, user, id + "-00000000-0000-0000-0000-00000000000" + user, NOW);
        }

        mvc.perform(patchCoupon(id, "\"3\"", "{\"totalQuantity\":150}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalQuantity").value(150))
                .andExpect(jsonPath("$.remainingQuantity").value(147))
                .andExpect(jsonPath("$.issuedQuantity").value(3));
        mvc.perform(patchCoupon(id, "\"4\"", "{\"totalQuantity\":3}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.remainingQuantity").value(0))
                .andExpect(jsonPath("$.status").value("SOLD_OUT"));
    }

    @Test
    void refusesTotalBelowUnitsIssuedAndPublishesNothing() throws Exception {
        long id = createOpenCoupon("SHRINK");
        for (long user = 1; user <= 3; user++) {
            issue(id, user, id + "-00000000-0000-0000-0000-00000000000" + user, NOW);
        }
        clearInvocations(couponRedis);

        mvc.perform(patchCoupon(id, "\"3\"", "{\"totalQuantity\":2}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("QUANTITY_BELOW_ISSUED"))
                .andExpect(jsonPath("$.issued").value(3));

        assertThat(version(id)).isEqualTo(3);
        verify(couponRedis, never()).adjustTotal(anyLong(), anyInt(), anyInt(), anyInt());
        verify(couponRedis, never()).publishSettings(any());
    }

    @Test
    void publishKeepsRequestsAdmittedInRedisButNotYetCommitted() throws Exception {
        long id = createOpenCoupon("IN-FLIGHT");
        // the gateway admitted 10 requests the worker has not committed yet
        redisson.getMap(CouponKeys.of(id).coupon(), StringCodec.INSTANCE).put("remaining", "90");

        mvc.perform(patchCoupon(id, "\"0\"", "{\"totalQuantity\":120}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.remainingQuantity").value(120));

        CouponView view = couponRedis.coupon(id).orElseThrow();
        assertThat(view.totalQuantity()).isEqualTo(120);
        assertThat(view.remaining()).isEqualTo(110);
    }

    /**
     * 10 units, 2 issued in PostgreSQL, 5 requests admitted in Redis and not committed yet: Redis
     * remaining 3 = PostgreSQL remaining 8 − 5 pending. Answers the version after the issues.
     */
    private long couponMidRush(String code) throws Exception {
        long id = createCoupon(code, 10, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)));
        issue(id, 1, id + "-00000000-0000-0000-0000-000000000001", NOW);
        issue(id, 2, id + "-00000000-0000-0000-0000-000000000002", NOW);
        redisson.getMap(CouponKeys.of(id).coupon(), StringCodec.INSTANCE).put("remaining", "8");
        for (long user = 21; user <= 25; user++) {
            admit(id, user);
        }
        return id;
    }

    private int databaseTotal(long id) {
        return jdbc.sql("SELECT total_quantity FROM coupon WHERE id = ?").param(id).query(Integer.class).single();
    }

    @Test
    void refusesALowerTotalBelowIssuedPlusPendingAndChangesNothing() throws Exception {
        long id = couponMidRush("BELOW-PENDING");

        // 2 issued + 5 being issued = 7 > 6, although 6 is above the 2 issued
        mvc.perform(patchCoupon(id, "\"2\"", "{\"totalQuantity\":6}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("QUANTITY_BELOW_ISSUED"))
                .andExpect(jsonPath("$.issued").value(2))
                .andExpect(jsonPath("$.pending").value(5));

        assertThat(databaseTotal(id)).isEqualTo(10);
        assertThat(version(id)).isEqualTo(2);
        CouponView view = couponRedis.coupon(id).orElseThrow();
        assertThat(view.totalQuantity()).isEqualTo(10);
        assertThat(view.remaining()).isEqualTo(3);
    }

    @Test
    void movesRedisStockByTheDeltaBothWaysKeepingPostgresRemainingLessPending() throws Exception {
        long id = couponMidRush("BOTH-WAYS");

        mvc.perform(patchCoupon(id, "\"2\"", "{\"totalQuantity\":20}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.remainingQuantity").value(18));
        assertThat(couponRedis.coupon(id).orElseThrow()).extracting(CouponView::totalQuantity, CouponView::remaining)
                .containsExactly(20, 13);

        // down to exactly issued + pending: nothing left to admit
        mvc.perform(patchCoupon(id, "\"3\"", "{\"totalQuantity\":7}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.remainingQuantity").value(5));
        assertThat(couponRedis.coupon(id).orElseThrow()).extracting(CouponView::totalQuantity, CouponView::remaining)
                .containsExactly(7, 0);
    }

    @Test
    void takesTheRedisStockMoveBackWhenTheChangeDoesNotCommit() throws Exception {
        long id = couponMidRush("NO-COMMIT");
        // PostgreSQL fails the commit after Redis has moved the stock
        doAnswer(invocation -> {
            Object adjusted = invocation.callRealMethod();
            failTheCommit();
            return adjusted;
        }).when(couponRedis).adjustTotal(anyLong(), anyInt(), anyInt(), anyInt());

        mvc.perform(patchCoupon(id, "\"2\"", "{\"totalQuantity\":30}"))
                .andExpect(status().isInternalServerError());

        assertThat(databaseTotal(id)).isEqualTo(10);
        assertThat(couponRedis.coupon(id).orElseThrow()).extracting(CouponView::totalQuantity, CouponView::remaining)
                .containsExactly(10, 3);
    }

    @Test
    void answersServiceUnavailableForAChangeOfTotalWhenRedisIsDown() throws Exception {
        long id = couponMidRush("TOTAL-DOWN");
        doThrow(new RedisConnectionException("Redis is down")).when(couponRedis)
                .adjustTotal(anyLong(), anyInt(), anyInt(), anyInt());

        mvc.perform(patchCoupon(id, "\"2\"", "{\"totalQuantity\":4}"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.code").value("UNAVAILABLE"));

        assertThat(databaseTotal(id)).isEqualTo(10);
        assertThat(version(id)).isEqualTo(2);
    }

    /** Makes the running transaction fail at its commit, after everything inside it ran. */
    static void failTheCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                throw new IllegalStateException("PostgreSQL lost the connection at commit");
            }
        });
    }

    @Test
    void checksRulesOnTheMergedCoupon() throws Exception {
        long id = createCoupon("MERGED", 10, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)));

        mvc.perform(patchCoupon(id, "\"0\"", "{\"issueEndsAt\":\"%s\"}".formatted(NOW.minus(Duration.ofDays(1)))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[0].field").value("issueEndsAt"));
        mvc.perform(patchCoupon(id, "\"0\"", "{\"type\":\"PERCENTAGE\",\"discountValue\":150}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("discountValue"));
        mvc.perform(patchCoupon(id, "\"0\"", "{\"validDays\":5,\"validUntil\":\"2099-01-01T00:00:00Z\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.hasItems("validDays", "validUntil")));
        mvc.perform(patchCoupon(id, "\"0\"", "{\"code\":\"NEW-CODE\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("code"));
        mvc.perform(patchCoupon(id, "\"0\"", "{\"name\":\"tab\\there\",\"totalQuantity\":0}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.hasItems("name", "totalQuantity")));

        assertThat(version(id)).isZero();
        assertThat(couponRedis.coupon(id).orElseThrow().issueEndsAt()).isEqualTo(NOW.plus(Duration.ofDays(1)));
    }

    @Test
    void replacesValidityKindAndWindow() throws Exception {
        long id = createOpenCoupon("VALIDITY");
        Instant newEnd = NOW.plus(Duration.ofDays(3));

        mvc.perform(patchCoupon(id, "\"0\"", """
                        {"issueEndsAt":"%s","validUntil":"%s"}""".formatted(newEnd, newEnd.plus(Duration.ofDays(10)))))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.validDays").doesNotExist())
                .andExpect(jsonPath("$.validUntil").value(newEnd.plus(Duration.ofDays(10)).toString()))
                .andExpect(jsonPath("$.issueEndsAt").value(newEnd.toString()));

        assertThat(couponRedis.coupon(id).orElseThrow().issueEndsAt()).isEqualTo(newEnd);
    }

    @Test
    void setsKeepsAndRemovesTheMinimumOrderAmount() throws Exception {
        long id = createOpenCoupon("MIN-PATCH");

        mvc.perform(patchCoupon(id, "\"0\"", "{\"minOrderAmount\":20.50}"))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"1\""))
                .andExpect(jsonPath("$.minOrderAmount").value(20.5));
        mvc.perform(patchCoupon(id, "\"1\"", "{\"name\":\"Renamed\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.minOrderAmount").value(20.5));
        mvc.perform(patchCoupon(id, "\"2\"", "{\"minOrderAmount\":20.5}"))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"2\""));
        assertThat(minOrderAmount(id)).isEqualByComparingTo("20.50");

        mvc.perform(patchCoupon(id, "\"2\"", "{\"minOrderAmount\":null}"))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"3\""))
                .andExpect(jsonPath("$.minOrderAmount").doesNotExist());
        assertThat(minOrderAmount(id)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = NOT_MONEY)
    void refusesAMinimumOrderAmountThatIsNoMoneyAndChangesNothing(String what, String amount) throws Exception {
        long id = createCoupon(couponJson("MIN-BAD").replace("\"validDays\":30",
                "\"validDays\":30,\"minOrderAmount\":7"));

        mvc.perform(patchCoupon(id, "\"0\"", "{\"minOrderAmount\":" + amount + "}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.contains("minOrderAmount")));

        assertThat(version(id)).isZero();
        assertThat(minOrderAmount(id)).isEqualByComparingTo("7");
    }

    private BigDecimal minOrderAmount(long id) {
        return jdbc.sql("SELECT min_order_amount FROM coupon WHERE id = ?").param(id)
                .query(BigDecimal.class).list().getFirst();
    }

    @Test
    void answersNotFoundForUnknownCoupon() throws Exception {
        mvc.perform(patchCoupon(404, "\"0\"", "{\"name\":\"Nobody\"}"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("COUPON_NOT_FOUND"));
    }

    @Test
    void letsExactlyOneOfTwoConcurrentPatchesWithTheSameIfMatchWin() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                long id = createOpenCoupon("RACE-" + round);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Integer>> answers = new ArrayList<>();
                for (String name : List.of("Left", "Right")) {
                    Callable<Integer> patchIt = () -> {
                        start.await();
                        return mvc.perform(patchCoupon(id, "\"0\"", "{\"name\":\"%s\"}".formatted(name)))
                                .andReturn().getResponse().getStatus();
                    };
                    answers.add(executor.submit(patchIt));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> answer : answers) {
                    statuses.add(answer.get());
                }

                assertThat(statuses).containsExactlyInAnyOrder(200, 412);
                assertThat(version(id)).isEqualTo(1);
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
