package io.rushcoupon.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import io.rushcoupon.common.redis.AdmissionGuard;
import io.rushcoupon.common.redis.Compensation;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.CouponSnapshot;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.common.redis.PrecheckOutcome;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.common.redis.RequestView;
import io.rushcoupon.common.redis.CouponRemoval;
import io.rushcoupon.common.redis.DatabaseStock;
import io.rushcoupon.common.redis.TotalAdjustment;
import io.rushcoupon.common.redis.PendingCopy;
import io.rushcoupon.common.redis.RebuildOutcome;
import io.rushcoupon.common.redis.RecordedDecision;

/**
 * The coupon Lua scripts of common, run on real Redis through {@link CouponRedis}. The pre-check
 * takes Redis's time, so windows are set around Redis's clock, read before each test.
 */
class CouponRedisIntegrationTest {

    private static final Duration TTL = Duration.ofHours(1);
    private static final long COUPON = 7;
    private static final AdmissionGuard GUARD = new AdmissionGuard(10, Duration.ofSeconds(1), Duration.ofSeconds(30));

    private static RedissonClient redisson;
    private CouponRedis redis;
    /** Redis's clock (in ms, as the scripts keep it) when the test started; the window is open around it. */
    private Instant now;
    private Instant start;
    private Instant end;

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
        now = redis.time(COUPON).truncatedTo(ChronoUnit.MILLIS);
        start = now.minus(Duration.ofMinutes(30));
        end = now.plus(Duration.ofMinutes(30));
    }

    @Test
    void acceptsARequestAndRecordsItAsPending() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);

        PrecheckResult result = redis.precheck(id, 5, "u@x.test", "ursula", TTL);

        assertThat(result.outcome()).isEqualTo(PrecheckOutcome.ACCEPTED);
        assertThat(result.requestId()).isEqualTo(id.toString());
        assertThat(result.remaining()).isEqualTo(9);
        Instant after = redis.time(COUPON);
        assertThat(result.acceptedAt()).as("Redis's time").isBetween(now, after);
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
        assertThat(redis.pendingSince(COUPON, result.acceptedAt().minusMillis(1), 10)).isEmpty();
        assertThat(redis.pendingSince(COUPON, result.acceptedAt(), 10)).containsExactly(id);
        var request = redis.request(id).orElseThrow();
        assertThat(request.status()).isEqualTo(IssueStatus.PENDING);
        assertThat(request.userId()).isEqualTo(5);
        assertThat(request.email()).isEqualTo("u@x.test");
        assertThat(request.requestedAt()).isEqualTo(result.acceptedAt());
        assertThat(redisson.getBucket(CouponKeys.of(COUPON).request(id)).remainTimeToLive()).isPositive();
    }

    /** Redisson re-sends a script whose reply timed out: the re-run is the same acceptance, not a duplicate. */
    @Test
    void answersAReRunOfTheSameAdmissionAsTheAcceptanceItIs() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        PrecheckResult first = redis.precheck(id, 5, null, null, TTL);

        PrecheckResult rerun = redis.precheck(id, 5, null, null, TTL);

        assertThat(rerun.outcome()).isEqualTo(PrecheckOutcome.ACCEPTED);
        assertThat(rerun.requestId()).isEqualTo(id.toString());
        assertThat(rerun.acceptedAt()).isEqualTo(first.acceptedAt());
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
        assertThat(redis.pendingCount(COUPON)).isEqualTo(1);
        assertThat(redis.check(COUPON, 5).outcome()).isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
    }

    @Test
    void rejectsSecondRequestFromSameUserWithTheFirstRequestId() {
        publish(CouponState.ACTIVE, 10);
        RequestId first = RequestId.newFor(COUPON);
        redis.precheck(first, 5, null, null, TTL);

        PrecheckResult second = redis.precheck(RequestId.newFor(COUPON), 5, null, null, TTL);

        assertThat(second.outcome()).isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
        assertThat(second.requestId()).isEqualTo(first.toString());
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
    }

    @Test
    void anAdmissionTakesTheUsersLockForItsLeaseOwnedByItsRequestId() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);

        PrecheckResult result = redis.precheck(id, 5, null, null, TTL, GUARD);

        assertThat(result.outcome()).isEqualTo(PrecheckOutcome.ACCEPTED);
        var lock = redisson.<String>getBucket(CouponKeys.of(COUPON).userLock(5), StringCodec.INSTANCE);
        assertThat(lock.get()).isEqualTo(id.toString());
        assertThat(lock.remainTimeToLive()).isPositive().isLessThanOrEqualTo(GUARD.lockLease().toMillis());
        assertThat(redis.releaseUserLock(RequestId.newFor(COUPON), 5).toCompletableFuture().join())
                .as("another request cannot release it").isFalse();
        assertThat(lock.isExists()).isTrue();
        assertThat(redis.releaseUserLock(id, 5).toCompletableFuture().join()).isTrue();
        assertThat(lock.isExists()).isFalse();
    }

    /** The user's other click holds the lock and may still undo its admission: neither DUPLICATE nor a second admission. */
    @Test
    void answersLockedWhileAnotherRequestOfTheUserHoldsTheLock() {
        publish(CouponState.ACTIVE, 10);
        RequestId first = RequestId.newFor(COUPON);
        redis.precheck(first, 5, null, null, TTL, GUARD);
        redisson.getBucket(CouponKeys.of(COUPON).userLock(6), StringCodec.INSTANCE).set("6-another-click");

        PrecheckResult whileSending = redis.precheck(RequestId.newFor(COUPON), 5, null, null, TTL, GUARD);
        PrecheckResult otherUserWhileLocked = redis.precheck(RequestId.newFor(COUPON), 6, null, null, TTL, GUARD);
        PrecheckResult rerun = redis.precheck(first, 5, null, null, TTL, GUARD);
        redis.releaseUserLock(first, 5).toCompletableFuture().join();
        PrecheckResult afterRelease = redis.precheck(RequestId.newFor(COUPON), 5, null, null, TTL, GUARD);

        assertThat(whileSending.outcome()).isEqualTo(PrecheckOutcome.LOCKED);
        assertThat(otherUserWhileLocked.outcome()).as("would be admitted, but locked").isEqualTo(PrecheckOutcome.LOCKED);
        assertThat(rerun.outcome()).as("a re-run of the holder's own admission").isEqualTo(PrecheckOutcome.ACCEPTED);
        assertThat(afterRelease.outcome()).isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
        assertThat(afterRelease.requestId()).isEqualTo(first.toString());
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
    }

    @Test
    void aRefusalNeverLooksAtTheLock() {
        publish(CouponState.ACTIVE, 1);
        redis.precheck(RequestId.newFor(COUPON), 1, null, null, TTL, GUARD);
        redisson.getBucket(CouponKeys.of(COUPON).userLock(2), StringCodec.INSTANCE).set("7-another-click");

        assertThat(redis.precheck(RequestId.newFor(COUPON), 2, null, null, TTL, GUARD).outcome())
                .isEqualTo(PrecheckOutcome.SOLD_OUT);
    }

    @Test
    void countsEachClickAgainstTheRateLimitOnceNotItsRetries() {
        publish(CouponState.ACTIVE, 10);
        AdmissionGuard twoPerWindow = new AdmissionGuard(2, Duration.ofMinutes(1), Duration.ofSeconds(30));
        redisson.getBucket(CouponKeys.of(COUPON).userLock(5), StringCodec.INSTANCE).set("7-another-click");

        for (int retry = 0; retry < 5; retry++) {
            assertThat(redis.precheck(RequestId.newFor(COUPON), 5, null, null, TTL, twoPerWindow.notCountedAgain())
                    .outcome()).isEqualTo(PrecheckOutcome.LOCKED);
        }
        assertThat(redis.precheck(RequestId.newFor(COUPON), 5, null, null, TTL, twoPerWindow).outcome())
                .isEqualTo(PrecheckOutcome.LOCKED);
        assertThat(redis.precheck(RequestId.newFor(COUPON), 5, null, null, TTL, twoPerWindow).outcome())
                .isEqualTo(PrecheckOutcome.LOCKED);
        PrecheckResult third = redis.precheck(RequestId.newFor(COUPON), 5, null, null, TTL, twoPerWindow);

        assertThat(third.outcome()).isEqualTo(PrecheckOutcome.RATE_LIMITED);
        assertThat(third.retryAfterMillis()).isPositive().isLessThanOrEqualTo(60_000);
    }

    @Test
    void refusesWithTheReasonThatApplies() {
        assertThat(outcome(5)).isEqualTo(PrecheckOutcome.COUPON_NOT_FOUND);
        publish(CouponState.ACTIVE, 10, now.plus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)));
        assertThat(outcome(5)).isEqualTo(PrecheckOutcome.ISSUANCE_NOT_STARTED);
        publish(CouponState.ACTIVE, 10, now.minus(Duration.ofHours(1)), now);
        assertThat(outcome(5)).isEqualTo(PrecheckOutcome.ISSUANCE_ENDED);
        publish(CouponState.PAUSED, 10);
        assertThat(outcome(5)).isEqualTo(PrecheckOutcome.COUPON_PAUSED);
        publish(CouponState.CLOSED, 10);
        assertThat(outcome(5)).isEqualTo(PrecheckOutcome.ISSUANCE_ENDED);
        publish(CouponState.ACTIVE, 10);
        assertThat(outcome(5)).isEqualTo(PrecheckOutcome.ACCEPTED);
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
    }

    @Test
    void refusesWhenSoldOut() {
        publish(CouponState.ACTIVE, 1);
        assertThat(outcome(1)).isEqualTo(PrecheckOutcome.ACCEPTED);

        assertThat(outcome(2)).isEqualTo(PrecheckOutcome.SOLD_OUT);
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isZero();
    }

    @Test
    void admitsExactlyTheStockUnderConcurrentRequests() throws Exception {
        publish(CouponState.ACTIVE, 50);
        List<Callable<PrecheckOutcome>> calls = new ArrayList<>();
        for (long user = 1; user <= 200; user++) {
            long userId = user;
            calls.add(() -> outcome(userId));
            calls.add(() -> outcome(userId));
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
        redis.precheck(id, 5, null, null, TTL);

        assertThat(redis.compensate(id, 5)).isEqualTo(Compensation.UNDONE);
        assertThat(redis.compensate(id, 5)).as("a repeat finds it gone").isEqualTo(Compensation.GONE);

        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(10);
        assertThat(redis.pendingCount(COUPON)).isZero();
        assertThat(redis.request(id)).isEmpty();
        assertThat(outcome(5)).isEqualTo(PrecheckOutcome.ACCEPTED);
    }

    @Test
    void compensationLeavesAFinishedRequestAlone() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        redis.precheck(id, 5, null, null, TTL);
        redis.finalizeRequests(COUPON, List.of(FinalStatus.issued(id, 5, now)), 9, TTL);

        assertThat(redis.compensate(id, 5)).isEqualTo(Compensation.DECIDED);
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
        assertThat(redis.request(id).orElseThrow().status()).isEqualTo(IssueStatus.ISSUED);
    }

    /** Its coupon was deleted meanwhile: nothing pending is left of it, and nothing names it any more. */
    @Test
    void compensationDropsWhatIsLeftOfARequestNoLongerPending() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        redis.precheck(id, 5, null, null, TTL);
        redisson.getKeys().delete(CouponKeys.of(COUPON).pending());

        assertThat(redis.compensate(id, 5)).isEqualTo(Compensation.GONE);
        assertThat(redis.request(id)).as("no PENDING status left to poll").isEmpty();
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).as("no unit was pending").isEqualTo(9);
        assertThat(outcome(5)).as("the user's place is free").isEqualTo(PrecheckOutcome.ACCEPTED);
    }

    /** Redis lost the hash but the pending set still counts its unit: the unit goes back. */
    @Test
    void compensationUndoesAPendingRequestWhoseHashIsGone() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        redis.precheck(id, 5, null, null, TTL);
        redisson.getKeys().delete(CouponKeys.of(COUPON).request(id));

        assertThat(redis.compensate(id, 5)).isEqualTo(Compensation.UNDONE);
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(10);
        assertThat(redis.pendingCount(COUPON)).isZero();
    }

    @Test
    void finalizingRecordsOutcomesAndLeavesThePendingSet() {
        publish(CouponState.ACTIVE, 10);
        RequestId issued = RequestId.newFor(COUPON);
        RequestId duplicate = RequestId.newFor(COUPON);
        redis.precheck(issued, 1, null, null, TTL);
        redis.precheck(duplicate, 2, null, null, TTL);

        long left = redis.finalizeRequests(COUPON, List.of(FinalStatus.issued(issued, 1, now.plusSeconds(1)),
                FinalStatus.rejected(duplicate, 2, ErrorCode.DUPLICATE_REQUEST)), 9, TTL);

        assertThat(left).isEqualTo(2);
        assertThat(redis.pendingCount(COUPON)).isZero();
        assertThat(redis.request(issued).orElseThrow().issuedAt()).isEqualTo(now.plusSeconds(1));
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
        redis.precheck(invalid, 2, null, null, TTL);

        redis.finalizeRequests(COUPON, List.of(FinalStatus.rejected(invalid, 2, ErrorCode.VALIDATION_FAILED)), 10, TTL);

        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(10);
    }

    @Test
    void finalizingTwiceDoesNotRestockTwice() {
        publish(CouponState.ACTIVE, 10);
        RequestId duplicate = RequestId.newFor(COUPON);
        redis.precheck(duplicate, 2, null, null, TTL);
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
        redis.precheck(id, 1, null, null, TTL);

        redis.finalizeRequests(COUPON, List.of(FinalStatus.rejected(id, 1, ErrorCode.SOLD_OUT)),
                new DatabaseStock(0, 10), TTL);

        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isZero();
        assertThat(outcome(3)).isEqualTo(PrecheckOutcome.SOLD_OUT);
    }

    @Test
    void marksTheStateLoadedOnlyWhenRedisKeptTheWholeRound() {
        redisson.getKeys().delete(CouponKeys.STATE_LOADED, CouponKeys.STATE_ROUND);
        String kept = redis.startStateRound();

        assertThat(redis.markStateLoaded(kept, now)).isTrue();
        assertThat(redis.stateLoaded()).isTrue();

        String lost = redis.startStateRound();
        // Redis restarts empty during the round
        redisson.getKeys().delete(CouponKeys.STATE_LOADED, CouponKeys.STATE_ROUND);

        assertThat(redis.markStateLoaded(lost, now)).isFalse();
        assertThat(redis.stateLoaded()).isFalse();
        assertThat(redis.markStateLoaded("a round that is not running", now)).isFalse();
    }

    @Test
    void droppingAPendingRequestTakesItOutOfThePendingSetOnce() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        redis.precheck(id, 1, null, null, TTL);

        assertThat(redis.dropPending(id)).isTrue();
        assertThat(redis.dropPending(id)).isFalse();
        assertThat(redis.pendingCount(COUPON)).isZero();
    }

    @Test
    void aLateRejectionLeavesTheUsersNewerRequestInItsPlace() {
        publish(CouponState.ACTIVE, 10);
        RequestId first = RequestId.newFor(COUPON);
        redis.precheck(first, 1, null, null, TTL);
        var firstRejected = List.of(FinalStatus.rejected(first, 1, ErrorCode.DUPLICATE_REQUEST));
        redis.finalizeRequests(COUPON, firstRejected, 10, TTL);
        RequestId retry = RequestId.newFor(COUPON);
        redis.precheck(retry, 1, null, null, TTL);

        redis.finalizeRequests(COUPON, firstRejected, 10, TTL);

        assertThat(users()).containsEntry("1", retry.toString());
        assertThat(redis.request(retry).orElseThrow().status()).isEqualTo(IssueStatus.PENDING);
    }

    @Test
    void aRejectedRequestGivesTheUserTheirPlaceBack() {
        publish(CouponState.ACTIVE, 10);
        RequestId rejected = RequestId.newFor(COUPON);
        redis.precheck(rejected, 1, null, null, TTL);

        redis.finalizeRequests(COUPON, List.of(FinalStatus.rejected(rejected, 1, ErrorCode.SOLD_OUT)), 9, TTL);

        assertThat(users()).doesNotContainKey("1");
        // "sold out now": when a unit comes back the user may ask again
        assertThat(outcome(1)).isEqualTo(PrecheckOutcome.ACCEPTED);
    }

    @Test
    void adjustingACouponRedisLacksWritesNothing() {
        assertThat(redis.adjustTotal(COUPON, 5, 15, 15).outcome()).isEqualTo(TotalAdjustment.Outcome.MISSING);
        assertThat(redisson.getKeys().count()).isZero();
    }

    @Test
    void adjustingTheTotalMovesStockAndTotalTogether() {
        publish(CouponState.ACTIVE, 10);
        outcome(1);

        var raised = redis.adjustTotal(COUPON, 5, 15, 15);

        assertThat(raised).isEqualTo(new TotalAdjustment(TotalAdjustment.Outcome.ADJUSTED, 14, 1));
        assertThat(redis.coupon(COUPON).orElseThrow().totalQuantity()).isEqualTo(15);
        // lowered to exactly issued (none) + pending (one)
        assertThat(redis.adjustTotal(COUPON, -14, 1, 1).remaining()).isZero();
    }

    @Test
    void anIssuedRequestTakesTheUsersPlaceEvenWhenRedisForgotIt() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        redis.precheck(id, 1, null, null, TTL);
        redisson.getMap(CouponKeys.of(COUPON).users(), StringCodec.INSTANCE).delete();

        redis.finalizeRequests(COUPON, List.of(FinalStatus.issued(id, 1, now)), 9, TTL);

        assertThat(users()).containsEntry("1", id.toString());
        assertThat(outcome(1)).isEqualTo(PrecheckOutcome.DUPLICATE_REQUEST);
    }

    @Test
    void finalizingNeverOverwritesAFinalStatus() {
        publish(CouponState.ACTIVE, 10);
        RequestId rejected = RequestId.newFor(COUPON);
        RequestId issued = RequestId.newFor(COUPON);
        redis.precheck(rejected, 1, null, null, TTL);
        redis.precheck(issued, 2, null, null, TTL);
        redis.finalizeRequests(COUPON, List.of(FinalStatus.rejected(rejected, 1, ErrorCode.SOLD_OUT),
                FinalStatus.issued(issued, 2, now)), 8, TTL);

        // second copies decided otherwise (e.g. after the admin raised the total)
        redis.finalizeRequests(COUPON, List.of(FinalStatus.issued(rejected, 1, now.plusSeconds(5)),
                FinalStatus.rejected(issued, 2, ErrorCode.DUPLICATE_REQUEST)), 7, TTL);

        RequestView stillRejected = redis.request(rejected).orElseThrow();
        assertThat(stillRejected.status()).isEqualTo(IssueStatus.REJECTED);
        assertThat(stillRejected.reason()).isEqualTo("SOLD_OUT");
        assertThat(stillRejected.issuedAt()).isNull();
        RequestView stillIssued = redis.request(issued).orElseThrow();
        assertThat(stillIssued.status()).isEqualTo(IssueStatus.ISSUED);
        assertThat(stillIssued.reason()).isNull();
        assertThat(stillIssued.issuedAt()).isEqualTo(now);
        assertThat(users()).doesNotContainKey("1").containsEntry("2", issued.toString());
    }

    @Test
    void finalizingWithoutPostgresTotalNeverZeroesTheStock() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        redis.precheck(id, 1, null, null, TTL);

        redis.finalizeRequests(COUPON, List.of(FinalStatus.issued(id, 1, now)), 0, TTL);
        redis.finalizeRequests(COUPON, List.of(FinalStatus.issued(id, 1, now)), null, TTL);

        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(9);
    }

    @Test
    void publishingAnExistingCouponWritesItsSettingsButNeverItsStock() {
        publish(CouponState.ACTIVE, 10);
        outcome(1);
        outcome(2);

        long remaining = redis.publish(new CouponSnapshot(COUPON, "Winter", CouponState.PAUSED, start, end, 15, 15));

        assertThat(remaining).isEqualTo(8);
        var coupon = redis.coupon(COUPON).orElseThrow();
        assertThat(coupon.totalQuantity()).isEqualTo(15);
        assertThat(coupon.name()).isEqualTo("Winter");
        assertThat(coupon.state()).isEqualTo(CouponState.PAUSED);
        assertThat(coupon.remaining()).isEqualTo(8);
    }

    @Test
    void publishingSettingsCreatesNothingForACouponRedisLacks() {
        var snapshot = new CouponSnapshot(COUPON, "Drop", CouponState.ACTIVE, start, end, 10, 7);

        assertThat(redis.publishSettings(snapshot)).isFalse();
        assertThat(redis.coupon(COUPON)).isEmpty();

        assertThat(redis.publish(snapshot)).isEqualTo(7);
        assertThat(redis.publishSettings(snapshot)).isTrue();
    }

    @Test
    void refusesALowerTotalBelowIssuedPlusPendingAndWritesNothing() {
        publish(CouponState.ACTIVE, 10);
        outcome(1);
        outcome(2);

        var refused = redis.adjustTotal(COUPON, -9, 1, 1);

        assertThat(refused).isEqualTo(new TotalAdjustment(TotalAdjustment.Outcome.REFUSED, 8, 2));
        assertThat(redis.coupon(COUPON).orElseThrow()).extracting(c -> c.totalQuantity(), c -> c.remaining())
                .containsExactly(10, 8);
        // a higher total is never refused
        assertThat(redis.adjustTotal(COUPON, 1, 11, 1).outcome()).isEqualTo(TotalAdjustment.Outcome.ADJUSTED);
    }

    @Test
    void removingForgetsACouponNobodyCanBeAdmittedFor() {
        publish(CouponState.PAUSED, 10);
        redisson.getMap(CouponKeys.of(COUPON).users(), StringCodec.INSTANCE).put("9", COUPON + "-x");

        assertThat(redis.remove(COUPON)).isEqualTo(new CouponRemoval(CouponRemoval.Outcome.REMOVED, 0));

        assertThat(redis.coupon(COUPON)).isEmpty();
        assertThat(redisson.getKeys().countExists(CouponKeys.of(COUPON).stateKeys().toArray(String[]::new))).isZero();
    }

    @Test
    void removingRefusesWhileARequestIsPending() {
        publish(CouponState.ACTIVE, 10);
        outcome(1);
        redis.publish(new CouponSnapshot(COUPON, "Drop", CouponState.CLOSED, start, end, 10, 10));

        assertThat(redis.remove(COUPON)).isEqualTo(new CouponRemoval(CouponRemoval.Outcome.PENDING, 1));
        assertThat(redis.coupon(COUPON)).isPresent();
    }

    @Test
    void removingRefusesWhileRedisStillAdmitsByItsOwnClock() {
        Instant now = Instant.now();
        redis.publish(new CouponSnapshot(COUPON, "Drop", CouponState.ACTIVE, now.plusSeconds(3600),
                now.plusSeconds(7200), 10, 10));

        assertThat(redis.remove(COUPON).outcome()).isEqualTo(CouponRemoval.Outcome.ADMITTING);
        assertThat(redis.coupon(COUPON)).isPresent();

        // the same coupon once its window is over
        redis.publish(new CouponSnapshot(COUPON, "Drop", CouponState.ACTIVE, now.minusSeconds(7200),
                now.minusSeconds(3600), 10, 10));
        assertThat(redis.remove(COUPON).removed()).isTrue();
    }

    @Test
    void soldOutInPostgresDoesNotZeroAStockWhoseTotalTheAdminChangedSince() {
        publish(CouponState.ACTIVE, 10);
        RequestId id = RequestId.newFor(COUPON);
        redis.precheck(id, 1, null, null, TTL);
        // the worker read total 10 and nothing left; then the admin raised the total to 15
        redis.adjustTotal(COUPON, 5, 15, 5);

        redis.finalizeRequests(COUPON, List.of(FinalStatus.rejected(id, 1, ErrorCode.SOLD_OUT)),
                new DatabaseStock(0, 10), TTL);

        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(14);
        assertThat(outcome(3)).isEqualTo(PrecheckOutcome.ACCEPTED);
    }

    @Test
    void undoingAnAdjustmentTakesTheDeltaBackAndTheTotalOnlyIfNoOtherWroteOne() {
        publish(CouponState.ACTIVE, 10);
        redis.adjustTotal(COUPON, 5, 15, 15);
        outcome(1);

        assertThat(redis.undoTotalAdjustment(COUPON, 5, 15, 10)).isTrue();
        assertThat(redis.coupon(COUPON).orElseThrow()).extracting(c -> c.totalQuantity(), c -> c.remaining())
                .containsExactly(10, 9);

        // a second adjustment wrote its total after ours: only the delta goes back
        redis.adjustTotal(COUPON, 5, 15, 14);
        redis.adjustTotal(COUPON, 5, 20, 19);
        redis.undoTotalAdjustment(COUPON, 5, 15, 10);
        assertThat(redis.coupon(COUPON).orElseThrow()).extracting(c -> c.totalQuantity(), c -> c.remaining())
                .containsExactly(20, 14);
    }

    @Test
    void rebuildingCreatesAMissingCouponWithTheUndecidedPendingRequestsHeldBack() {
        publish(CouponState.ACTIVE, 10);
        outcome(1);
        outcome(2);
        redisson.getKeys().delete(CouponKeys.of(COUPON).coupon());

        PendingCopy copy = redis.copyPendingIfMissing(COUPON, Duration.ofMinutes(1)).orElseThrow();
        assertThat(copy.size()).isEqualTo(2);
        assertThat(redis.pendingCopyPage(copy, 0, 1)).hasSize(1);
        assertThat(redis.pendingCopyPage(copy, 1, 5)).hasSize(1).doesNotContainAnyElementsOf(redis.pendingCopyPage(copy, 0, 1));
        // 8 left in PostgreSQL, one of the two pending requests not decided there
        RebuildOutcome rebuilt = redis.rebuild(new CouponSnapshot(COUPON, "Drop", CouponState.ACTIVE, start, end, 10, 8),
                1, copy);

        assertThat(rebuilt).isEqualTo(new RebuildOutcome(true, 7));
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(7);
        assertThat(redisson.getKeys().countExists(copy.key())).as("the copy is gone").isZero();
        assertThat(outcome(6)).isEqualTo(PrecheckOutcome.ACCEPTED);
    }

    @Test
    void rebuildingLeavesACouponRedisHas() {
        publish(CouponState.ACTIVE, 10);
        outcome(1);

        assertThat(redis.copyPendingIfMissing(COUPON, Duration.ofMinutes(1))).isEmpty();

        redisson.getKeys().delete(CouponKeys.of(COUPON).coupon());
        PendingCopy copy = redis.copyPendingIfMissing(COUPON, Duration.ofMinutes(1)).orElseThrow();
        // another restorer or an admin publication creates it first
        publish(CouponState.PAUSED, 10);
        RebuildOutcome rebuilt = redis.rebuild(new CouponSnapshot(COUPON, "Drop", CouponState.ACTIVE, start, end, 10, 3),
                0, copy);

        assertThat(rebuilt).isEqualTo(new RebuildOutcome(false, 10));
        assertThat(redis.coupon(COUPON).orElseThrow().state()).isEqualTo(CouponState.PAUSED);
        assertThat(redisson.getKeys().countExists(copy.key())).isZero();
    }

    @Test
    void repairingStockWritesOnlyWhileTheCouponIsAsTheReconcilerSawIt() {
        publish(CouponState.ACTIVE, 10);
        redisson.getMap(CouponKeys.of(COUPON).coupon(), StringCodec.INSTANCE).put("remaining", "3");

        assertThat(redis.repairStock(COUPON, 4, 10)).as("remaining moved since it was read").isFalse();
        outcome(1);
        assertThat(redis.repairStock(COUPON, 2, 10)).as("a request is pending").isFalse();
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(2);
        redis.pendingSince(COUPON, redis.time(COUPON), 10).forEach(redis::dropPending);

        assertThat(redis.repairStock(COUPON, 2, 10)).isTrue();
        assertThat(redis.coupon(COUPON).orElseThrow().remaining()).isEqualTo(10);
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

    private Map<String, String> users() {
        return redisson.<String, String>getMap(CouponKeys.of(COUPON).users(), StringCodec.INSTANCE).readAllMap();
    }

    private PrecheckOutcome outcome(long userId) {
        return redis.precheck(RequestId.newFor(COUPON), userId, null, null, TTL).outcome();
    }

    private void publish(CouponState state, int total) {
        publish(state, total, start, end);
    }

    private void publish(CouponState state, int total, Instant startsAt, Instant endsAt) {
        redis.publish(new CouponSnapshot(COUPON, "Drop", state, startsAt, endsAt, total, total));
    }
}
