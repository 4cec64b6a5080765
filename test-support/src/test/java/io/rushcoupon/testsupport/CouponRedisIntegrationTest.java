package io.rushcoupon.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.common.redis.PendingCopy;
import io.rushcoupon.common.redis.PrecheckOutcome;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.common.redis.RebuildOutcome;
import io.rushcoupon.common.redis.RecordedDecision;
import io.rushcoupon.common.redis.RequestView;

/** The coupon Lua scripts of common, run on real Redis through {@link CouponRedis}. */
class CouponRedisIntegrationTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant END = Instant.parse("2026-12-01T11:00:00Z");
    private static final Instant DURING = Instant.parse("2026-12-01T10:30:00Z");
    private static final Duration TTL = Duration.ofHours(1);
    private static final long COUPON = 7;

    private static RedissonClient redisson;
    private CouponRedis redis;

    @BeforeAll
    static void connect() {
        RealServers servers = RealServers.get();
        Config config = new Config();
        config.useSingleServer()
                .setAddress("redis://" + servers.redisHost() + ":" + servers.redisPort())
                .setDatabase(servers.redisDatabase());
        redisson = Redisson.create(config);
    }

    @AfterAll
    static void disconnect() {
        redisson.shutdown();
    }

    @BeforeEach
    void emptyDatabase() {
        redisson.getKeys().flushdb();
        redis = new CouponRedis(redisson);
    }

    @Test
    void acceptsARequestAndRecordsItAsPending() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);

        PrecheckResult result = redis.precheck(id, 5, DURING, "u@x.test", "ursula", TTL);

        assertThat(result).isEqualTo(new PrecheckResult(PrecheckOutcome.ACCEPTED, id.toString(), 9));
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
        assertThat(redis.pendingSince(COUPON, DURING, 10)).containsExactly(id);
        var request = redis.request(id).orElseThrow();
        assertThat(request.status()).isEqualTo(IssueStatus.PENDING);
        assertThat(request.userId()).isEqualTo(5);
        assertThat(request.email()).isEqualTo("u@x.test");
        assertThat(request.requestedAt()).isEqualTo(DURING);
        assertThat(redisson.getBucket(CouponKeys.of(COUPON).request(id)).remainTimeToLive()).isPositive();
    }

    @Test
    void rejectsSecondRequestFromSameUserWithTheFirstRequestId() {
        publish(CouponState.ACTIVE, 10);
        RequestId first = RequestId.newFor(COUPON);
        redis.precheck(first, 5, DURING, null, null, TTL);

        PrecheckResult second = redis.precheck(RequestId.newFor(COUPON), 5, DURING, null, null, TTL);

        assertThat(second.outcome()).isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
        assertThat(second.requestId()).isEqualTo(first.toString());
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
    }

    @Test
    void refusesWithTheReasonThatApplies() {
        assertThat(outcome(5, DURING)).isEqualTo(PrecheckOutcome.COUPON_NOT_FOUND);
        publish(CouponState.ACTIVE, 10);
        assertThat(outcome(5, START.minusMillis(1))).isEqualTo(PrecheckOutcome.ISSUANCE_NOT_STARTED);
        assertThat(outcome(5, END)).isEqualTo(PrecheckOutcome.ISSUANCE_ENDED);
        publish(CouponState.PAUSED, 10);
        assertThat(outcome(5, DURING)).isEqualTo(PrecheckOutcome.COUPON_PAUSED);
        publish(CouponState.CLOSED, 10);
        assertThat(outcome(5, DURING)).isEqualTo(PrecheckOutcome.ISSUANCE_ENDED);
        publish(CouponState.ACTIVE, 10);
        assertThat(outcome(5, DURING)).isEqualTo(PrecheckOutcome.ACCEPTED);
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
    }

    @Test
    void refusesWhenSoldOut() {
        publish(CouponState.ACTIVE, 1);
        assertThat(outcome(1, DURING)).isEqualTo(PrecheckOutcome.ACCEPTED);

        assertThat(outcome(2, DURING)).isEqualTo(PrecheckOutcome.SOLD_OUT);
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isZero();
    }

    @Test
    void admitsExactlyTheStockUnderConcurrentRequests() throws Exception {
        publish(CouponState.ACTIVE, 50);
        List<Callable<PrecheckOutcome>> calls = new ArrayList<>();
        for (long user = 1; user <= 200; user++) {
            long userId = user;
            calls.add(() -> outcome(userId, DURING));
            calls.add(() -> outcome(userId, DURING));
        }
        List<PrecheckOutcome> outcomes = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(32)) {
            for (Future<PrecheckOutcome> future : pool.invokeAll(calls)) {
                outcomes.add(future.get());
            }
        }

        assertThat(outcomes).filteredOn(PrecheckOutcome.ACCEPTED::equals).hasSize(50);
        assertThat(outcomes).containsOnly(PrecheckOutcome.ACCEPTED, PrecheckOutcome.DUPLICATE_REQUEST,
                PrecheckOutcome.SOLD_OUT);
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isZero();
        assertThat(redis.pendingCount(COUPON)).isEqualTo(50);
        assertThat(redisson.getMap(CouponKeys.of(COUPON).users(), StringCodec.INSTANCE).size()).isEqualTo(50);
    }

    @Test
    void compensationGivesTheUnitAndTheUserBackOnce() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        redis.precheck(id, 5, DURING, null, null, TTL);

        assertThat(redis.compensate(id, 5)).isTrue();
        assertThat(redis.compensate(id, 5)).isFalse();

        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(10);
        assertThat(redis.pendingCount(COUPON)).isZero();
        assertThat(redis.request(id)).isEmpty();
        assertThat(outcome(5, DURING)).isEqualTo(PrecheckOutcome.ACCEPTED);
    }

    @Test
    void compensationLeavesAFinishedRequestAlone() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        redis.precheck(id, 5, DURING, null, null, TTL);
        redis.finalizeRequests(COUPON, List.of(FinalStatus.issued(id, 5, DURING)), 9, TTL);

        assertThat(redis.compensate(id, 5)).isFalse();
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
        assertThat(redis.request(id).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED);
    }

    @Test
    void finalizingRecordsOutcomesAndLeavesThePendingSet() {
        publish(CouponState.ACTIVE, 10);
        RequestId issued = RequestId.newFor(COUPON);
        RequestId duplicate = RequestId.newFor(COUPON);
        redis.precheck(issued, 1, DURING, null, null, TTL);
        redis.precheck(duplicate, 2, DURING, null, null, TTL);

        long left = redis.finalizeRequests(COUPON, List.of(FinalStatus.issued(issued, 1, DURING.plusSeconds(1)),
                FinalStatus.rejected(duplicate, 2, ErrorCode.DUPLICATE_REQUEST)), 9, TTL);

        assertThat(left).isEqualTo(2);
        assertThat(redis.pendingCount(COUPON)).isZero();
        assertThat(redis.request(issued).orElseThrow().issuedAt()).isEqualTo(DURING.plusSeconds(1));
        var rejected = redis.request(duplicate).orElseThrow();
        assertThat(rejected.status()).isEqualTo(IssueStatus.REJECTED);
        assertThat(rejected.reason()).isEqualTo("DUPLICATE_REQUEST");
        // the duplicate's unit was never used, so it is admitted again
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
    }

    @Test
    void finalizingAnInvalidRequestGivesItsUnitBack() {
        publish(CouponState.ACTIVE, 10);
        RequestId invalid = RequestId.newFor(COUPON);
        redis.precheck(invalid, 2, DURING, null, null, TTL);

        redis.finalizeRequests(COUPON, List.of(FinalStatus.rejected(invalid, 2, ErrorCode.VALIDATION_FAILED)), 10, TTL);

        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(10);
    }

    @Test
    void finalizingTwiceDoesNotRestockTwice() {
        publish(CouponState.ACTIVE, 10);
        RequestId duplicate = RequestId.newFor(COUPON);
        redis.precheck(duplicate, 2, DURING, null, null, TTL);
        var statuses = List.of(FinalStatus.rejected(duplicate, 2, ErrorCode.DUPLICATE_REQUEST));

        redis.finalizeRequests(COUPON, statuses, 9, TTL);
        long secondTime = redis.finalizeRequests(COUPON, statuses, 9, TTL);

        assertThat(secondTime).isZero();
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(10);
    }

    @Test
    void finalizingWithNothingLeftInPostgresStopsAdmissions() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        redis.precheck(id, 1, DURING, null, null, TTL);

        redis.finalizeRequests(COUPON, List.of(FinalStatus.rejected(id, 1, ErrorCode.SOLD_OUT)), 0, TTL);

        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isZero();
        assertThat(outcome(3, DURING)).isEqualTo(PrecheckOutcome.SOLD_OUT);
    }

    @Test
    void publishingKeepsInFlightDecrementsAndMovesStockByTheChangeOfTotal() {
        publish(CouponState.ACTIVE, 10);
        outcome(1, DURING);
        outcome(2, DURING);

        long remaining = redis.publish(new CouponSnapshot(COUPON, "Winter", CouponState.ACTIVE, START, END, 15, 15));

        assertThat(remaining).isEqualTo(13);
        var coupon = redis.coupon(COUPON).orElseThrow();
        assertThat(coupon.totalQuantity()).isEqualTo(15);
        assertThat(coupon.name()).isEqualTo("Winter");
    }

    @Test
    void rebuildingCreatesAMissingCouponWithTheUndecidedPendingRequestsHeldBack() {
        publish(CouponState.ACTIVE, 10);
        outcome(1, DURING);
        outcome(2, DURING);
        redisson.getKeys().delete(CouponKeys.of(COUPON).coupon());

        PendingCopy copy = redis.copyPendingIfMissing(COUPON, Duration.ofMinutes(1)).orElseThrow();
        assertThat(copy.size()).isEqualTo(2);
        assertThat(redis.pendingCopyPage(copy, 0, 1)).hasSize(1);
        assertThat(redis.pendingCopyPage(copy, 1, 5)).hasSize(1).doesNotContainAnyElementsOf(redis.pendingCopyPage(copy, 0, 1));
        // 8 left in PostgreSQL, one of the two pending requests not decided there
        RebuildOutcome rebuilt = redis.rebuild(new CouponSnapshot(COUPON, "Drop", CouponState.ACTIVE, START, END, 10, 8),
                1, copy);

        assertThat(rebuilt).isEqualTo(new RebuildOutcome(true, 7));
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(7);
        assertThat(redisson.getKeys().countExists(copy.key())).as("the copy is gone").isZero();
        assertThat(outcome(6, DURING)).isEqualTo(PrecheckOutcome.ACCEPTED);
    }

    @Test
    void rebuildingLeavesACouponRedisHas() {
        publish(CouponState.ACTIVE, 10);
        outcome(1, DURING);

        assertThat(redis.copyPendingIfMissing(COUPON, Duration.ofMinutes(1))).isEmpty();

        redisson.getKeys().delete(CouponKeys.of(COUPON).coupon());
        PendingCopy copy = redis.copyPendingIfMissing(COUPON, Duration.ofMinutes(1)).orElseThrow();
        // another restorer or an admin publication creates it first
        publish(CouponState.PAUSED, 10);
        RebuildOutcome rebuilt = redis.rebuild(new CouponSnapshot(COUPON, "Drop", CouponState.ACTIVE, START, END, 10, 3),
                0, copy);

        assertThat(rebuilt).isEqualTo(new RebuildOutcome(false, 10));
        assertThat(redis.coupon(COUPON).orElseThrow().state()).isEqualTo(CouponState.PAUSED);
        assertThat(redisson.getKeys().countExists(copy.key())).isZero();
    }

    @Test
    void restoringStatusesWritesOnlyTheMissingOnesForWhatIsLeftOfTheirLifetime() {
        RequestId lost = RequestId.newFor(COUPON);
        RequestId rejected = RequestId.newFor(COUPON);
        RequestId kept = RequestId.newFor(COUPON);
        RequestId expired = RequestId.newFor(COUPON);
        Instant now = redis.time(COUPON);
        Instant issuedAt = now.minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
        redis.finalizeRequests(COUPON, List.of(FinalStatus.rejected(kept, 8, ErrorCode.DUPLICATE_REQUEST)), 5, TTL);

        long restored = redis.restoreStatuses(COUPON, List.of(
                new RecordedDecision(FinalStatus.issued(lost, 7, issuedAt), issuedAt),
                new RecordedDecision(FinalStatus.rejected(rejected, 9, ErrorCode.SOLD_OUT), now),
                new RecordedDecision(FinalStatus.issued(kept, 8, issuedAt), issuedAt),
                new RecordedDecision(FinalStatus.issued(expired, 10, issuedAt), now.minus(TTL).minusSeconds(1))), TTL);

        assertThat(restored).isEqualTo(2);
        RequestView view = redis.request(lost).orElseThrow();
        assertThat(view.status()).isEqualTo(IssueStatus.ISSUED);
        assertThat(view.userId()).isEqualTo(7);
        assertThat(view.issuedAt()).isEqualTo(issuedAt);
        // the hash lives as long as the worker's would have, from the decision on
        assertThat(redisson.getKeys().remainTimeToLive(CouponKeys.of(COUPON).request(lost)))
                .isPositive().isLessThanOrEqualTo(TTL.minus(Duration.ofMinutes(10)).toMillis());
        RequestView refused = redis.request(rejected).orElseThrow();
        assertThat(refused.status()).isEqualTo(IssueStatus.REJECTED);
        assertThat(refused.reason()).isEqualTo(ErrorCode.SOLD_OUT.name());
        assertThat(refused.userId()).isEqualTo(9);
        // a status recorded since the restart is newer than PostgreSQL's view and stays
        assertThat(redis.request(kept).orElseThrow().status()).isEqualTo(IssueStatus.REJECTED);
        assertThat(redis.request(expired)).isEmpty();
    }

    @Test
    void repairingStockWritesOnlyWhileTheCouponIsAsTheReconcilerSawIt() {
        publish(CouponState.ACTIVE, 10);
        redisson.getMap(CouponKeys.of(COUPON).coupon(), StringCodec.INSTANCE).put("remaining", "3");

        assertThat(redis.repairStock(COUPON, 4, 10)).as("remaining moved since it was read").isFalse();
        outcome(1, DURING);
        assertThat(redis.repairStock(COUPON, 2, 10)).as("a request is pending").isFalse();
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(2);
        redis.pendingSince(COUPON, DURING, 10).forEach(redis::dropPending);

        assertThat(redis.repairStock(COUPON, 2, 10)).isTrue();
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(10);
    }

    @Test
    void marksTheStateLoadedOnlyWhenRedisKeptTheWholeRound() {
        redisson.getKeys().delete(CouponKeys.STATE_LOADED, CouponKeys.STATE_ROUND);
        String kept = redis.startStateRound();

        assertThat(redis.markStateLoaded(kept, DURING)).isTrue();
        assertThat(redis.stateLoaded()).isTrue();

        String lost = redis.startStateRound();
        // Redis restarts empty during the round
        redisson.getKeys().delete(CouponKeys.STATE_LOADED, CouponKeys.STATE_ROUND);

        assertThat(redis.markStateLoaded(lost, DURING)).isFalse();
        assertThat(redis.stateLoaded()).isFalse();
        assertThat(redis.markStateLoaded("a round that is not running", DURING)).isFalse();
    }

    @Test
    void droppingAPendingRequestTakesItOutOfThePendingSetOnce() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        redis.precheck(id, 1, DURING, null, null, TTL);

        assertThat(redis.dropPending(id)).isTrue();
        assertThat(redis.dropPending(id)).isFalse();
        assertThat(redis.pendingCount(COUPON)).isZero();
    }

    @Test
    void removingForgetsTheCoupon() {
        publish(CouponState.ACTIVE, 10);
        outcome(1, DURING);

        redis.remove(COUPON);

        assertThat(redis.coupon(COUPON)).isEmpty();
        assertThat(redisson.getKeys().countExists(CouponKeys.of(COUPON).stateKeys().toArray(String[]::new))).isZero();
    }

    private PrecheckOutcome outcome(long userId, Instant now) {
        return redis.precheck(RequestId.newFor(COUPON), userId, now, null, null, TTL).outcome();
    }

    private void publish(CouponState state, int total) {
        redis.publish(new CouponSnapshot(COUPON, "Drop", state, START, END, total, total));
    }
}
