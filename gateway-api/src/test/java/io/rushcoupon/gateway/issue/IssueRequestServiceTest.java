package io.rushcoupon.gateway.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RLock;
import org.redisson.client.RedisException;
import org.redisson.client.RedisResponseTimeoutException;
import org.redisson.misc.CompletableFutureWrapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.issue.IssueRequestSettings;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.Compensation;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.common.redis.PrecheckOutcome;
import io.rushcoupon.common.redis.PrecheckResult;
import io.rushcoupon.gateway.config.GatewayProperties;
import io.rushcoupon.gateway.issue.UserLocks.HeldLock;
import io.rushcoupon.gateway.ratelimit.RateLimitProperties;
import io.rushcoupon.gateway.web.MissingState;
import io.rushcoupon.web.problem.Problems;
import io.rushcoupon.web.problem.RetryLaterException;

/** The rush path's decisions for outcomes the real servers rarely produce on demand. */
class IssueRequestServiceTest {

    private static final long COUPON = 5;
    private static final Requester ANN = new Requester(9, "ann@example.test", "ann");

    private final UserLocks locks = mock(UserLocks.class);
    private final CouponRedis couponRedis = mock(CouponRedis.class);
    private final IssueEventPublisher publisher = mock(IssueEventPublisher.class);
    private final RLock lock = mock(RLock.class);
    private IssueRequestService service;

    @BeforeEach
    void setUp() {
        GatewayProperties settings = new GatewayProperties(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), 2, Duration.ofMillis(200), 512,
                Duration.ofSeconds(1));
        service = new IssueRequestService(locks, couponRedis, publisher, new IssueMetrics(new SimpleMeterRegistry()),
                settings,
                IssueRequestSettings.defaults(), new RateLimitProperties(10, Duration.ofSeconds(1)),
                new MissingState(couponRedis, settings));
        when(lock.unlockAsync(anyLong())).thenReturn(new CompletableFutureWrapper<>((Void) null));
        when(locks.tryAcquire(COUPON, ANN.userId())).thenReturn(Optional.of(new HeldLock(lock, 1)));
        // the read-only check lets the request through to the locked pre-check
        when(couponRedis.check(eq(COUPON), eq(ANN.userId()), eq(10), eq(Duration.ofSeconds(1)))).thenReturn(
                new PrecheckResult(PrecheckOutcome.ACCEPTED, null, 3));
    }

    @Test
    void refusesADuplicateOfAnEarlierRequestWithItsId() {
        String earlier = RequestId.newFor(COUPON).toString();
        when(couponRedis.precheck(any(), anyLong(), any(), any(), any()))
                .thenReturn(new PrecheckResult(PrecheckOutcome.DUPLICATE_REQUEST, earlier, 3));

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(CouponException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_REQUEST);
            assertThat(e.properties()).containsEntry("requestId", earlier);
        });
        verify(publisher, never()).publish(any());
        verify(lock).unlockAsync(1);
    }

    @Test
    void keepsTheRequestPendingWhenKafkaMayHaveIt() {
        acceptedByRedis();
        when(publisher.publish(any())).thenReturn(SendOutcome.AMBIGUOUS);

        IssueRequestAccepted accepted = service.request(COUPON, ANN);

        assertThat(accepted.status()).hasToString("PENDING");
        verify(couponRedis, never()).compensate(any(), anyLong());
    }

    @Test
    void undoesTheAdmissionWhenKafkaDefinitelyDidNotTakeIt() {
        acceptedByRedis();
        when(publisher.publish(any())).thenReturn(SendOutcome.NOT_SENT);
        when(couponRedis.compensate(any(), eq(ANN.userId()))).thenReturn(Compensation.UNDONE);

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(RetryLaterException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        verify(lock).unlockAsync(1);
    }

    @Test
    void answersUnavailableWhenTheUndoItselfFails() {
        acceptedByRedis();
        when(publisher.publish(any())).thenReturn(SendOutcome.NOT_SENT);
        when(couponRedis.compensate(any(), anyLong())).thenThrow(new RedisResponseTimeoutException("no reply"));

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(RetryLaterException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void acceptsWhenTheRequestWasDecidedBeforeKafkaRefusedIt() {
        acceptedByRedis();
        when(publisher.publish(any())).thenReturn(SendOutcome.NOT_SENT);
        when(couponRedis.compensate(any(), anyLong())).thenReturn(Compensation.DECIDED);

        assertThat(service.request(COUPON, ANN).requestId()).startsWith(COUPON + "-");
    }

    @Test
    void answersUnavailableWhenKafkaRefusedARequestRedisNoLongerKnows() {
        acceptedByRedis();
        when(publisher.publish(any())).thenReturn(SendOutcome.NOT_SENT);
        when(couponRedis.compensate(any(), anyLong())).thenReturn(Compensation.GONE);

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(RetryLaterException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void letsABrokenScriptSurfaceAsAFailureNotAsUnavailable() {
        when(couponRedis.precheck(any(), anyLong(), any(), any(), any()))
                .thenThrow(new RedisException("ERR Error running script"));

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isExactlyInstanceOf(RedisException.class);
        verify(lock).unlockAsync(1);
    }

    @Test
    void answersBusyWithoutTouchingTheCouponWhenTheLockIsTaken() {
        when(locks.tryAcquire(COUPON, ANN.userId())).thenReturn(Optional.empty());

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(RetryLaterException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
            assertThat(Problems.retryAfterSeconds(e.retryAfter())).isEqualTo("1");
        });
        verify(couponRedis, never()).precheck(any(), anyLong(), any(), any(), any());
    }

    @Test
    void refusesOverTheRateLimitWithTheWindowsRestAsRetryAfterAndTakesNoLock() {
        when(couponRedis.check(eq(COUPON), eq(ANN.userId()), eq(10), eq(Duration.ofSeconds(1))))
                .thenReturn(new PrecheckResult(PrecheckOutcome.RATE_LIMITED, null, -1, 1_200, null));

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(RetryLaterException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(Problems.retryAfterSeconds(e.retryAfter())).isEqualTo("2");
        });
        verify(locks, never()).tryAcquire(anyLong(), anyLong());
        verify(couponRedis, never()).precheck(any(), anyLong(), any(), any(), any());
    }

    private void acceptedByRedis() {
        when(couponRedis.precheck(any(), anyLong(), any(), any(), any())).thenAnswer(call ->
                new PrecheckResult(PrecheckOutcome.ACCEPTED, call.getArgument(0).toString(), 3, 0,
                        Instant.parse("2026-12-01T10:00:00Z")));
    }
}
