package io.rushcoupon.gateway.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisResponseTimeoutException;

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
import io.rushcoupon.gateway.web.MissingState;
import io.rushcoupon.web.problem.Problems;
import io.rushcoupon.web.problem.RetryLaterException;

/** The rush path's decisions for outcomes the real servers rarely produce on demand. */
class IssueRequestServiceTest {

    private static final long COUPON = 5;
    private static final Requester ANN = new Requester(9, "ann@example.test", "ann");

    private final UserLocks locks = mock(UserLocks.class);
    private final TerminalCoupons terminal = mock(TerminalCoupons.class);
    private final CouponRedis couponRedis = mock(CouponRedis.class);
    private final IssueEventPublisher publisher = mock(IssueEventPublisher.class);
    private IssueRequestService service;

    @BeforeEach
    void setUp() {
        GatewayProperties settings = new GatewayProperties(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), 2, Duration.ofMillis(200), 512,
                Duration.ofSeconds(1));
        when(terminal.refusal(anyLong(), anyLong())).thenReturn(Optional.empty());
        service = new IssueRequestService(locks, terminal, couponRedis, publisher, new IssueMetrics(new SimpleMeterRegistry()),
                settings, IssueRequestSettings.defaults(), new MissingState(couponRedis, settings));
    }

    @Test
    void refusesADuplicateOfAnEarlierRequestWithItsIdAndHoldsNoLock() {
        String earlier = RequestId.newFor(COUPON).toString();
        when(locks.admit(any(), eq(ANN), any())).thenReturn(new PrecheckResult(PrecheckOutcome.DUPLICATE_REQUEST, earlier, 3));

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(CouponException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_REQUEST);
            assertThat(e.properties()).containsEntry("requestId", earlier);
        });
        verify(publisher, never()).publish(any());
        verify(locks, never()).release(any(), anyLong());
    }

    @Test
    void keepsTheRequestPendingWhenKafkaMayHaveItAndReleasesTheLock() {
        acceptedByRedis();
        when(publisher.publish(any())).thenReturn(SendOutcome.AMBIGUOUS);

        IssueRequestAccepted accepted = service.request(COUPON, ANN);

        assertThat(accepted.status()).hasToString("PENDING");
        verify(couponRedis, never()).compensate(any(), anyLong());
        ArgumentCaptor<RequestId> admitted = ArgumentCaptor.forClass(RequestId.class);
        ArgumentCaptor<RequestId> released = ArgumentCaptor.forClass(RequestId.class);
        verify(locks).admit(admitted.capture(), eq(ANN), any());
        verify(locks).release(released.capture(), eq(ANN.userId()));
        assertThat(released.getValue()).as("the lock this very request took").isEqualTo(admitted.getValue())
                .hasToString(accepted.requestId());
    }

    @Test
    void releasesTheLockOnlyAfterKafkaAnswered() {
        acceptedByRedis();
        when(publisher.publish(any())).thenReturn(SendOutcome.ACKED);

        service.request(COUPON, ANN);

        InOrder order = inOrder(publisher, locks);
        order.verify(publisher).publish(any());
        order.verify(locks).release(any(), eq(ANN.userId()));
    }

    @Test
    void undoesTheAdmissionWhenKafkaDefinitelyDidNotTakeItBeforeReleasingTheLock() {
        acceptedByRedis();
        when(publisher.publish(any())).thenReturn(SendOutcome.NOT_SENT);
        when(couponRedis.compensate(any(), eq(ANN.userId()))).thenReturn(Compensation.UNDONE);

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(RetryLaterException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        InOrder order = inOrder(couponRedis, locks);
        order.verify(couponRedis).compensate(any(), eq(ANN.userId()));
        order.verify(locks).release(any(), eq(ANN.userId()));
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
        when(locks.admit(any(), any(), any())).thenThrow(new RedisException("ERR Error running script"));

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isExactlyInstanceOf(RedisException.class);
        verify(locks, never()).release(any(), anyLong());
    }

    @Test
    void answersUnavailableWhenRedisCannotBeReached() {
        when(locks.admit(any(), any(), any())).thenThrow(new RedisConnectionException("refused"));

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(RetryLaterException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void answersBusyWhenTheUsersLockStayedTaken() {
        when(locks.admit(any(), eq(ANN), any())).thenReturn(new PrecheckResult(PrecheckOutcome.LOCKED, null, 3));

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(RetryLaterException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
            assertThat(Problems.retryAfterSeconds(e.retryAfter())).isEqualTo("1");
        });
        verify(publisher, never()).publish(any());
        verify(locks, never()).release(any(), anyLong());
    }

    @Test
    void refusesOverTheRateLimitWithTheWindowsRestAsRetryAfter() {
        when(locks.admit(any(), eq(ANN), any()))
                .thenReturn(new PrecheckResult(PrecheckOutcome.RATE_LIMITED, null, -1, 1_200, null));

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(RetryLaterException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(Problems.retryAfterSeconds(e.retryAfter())).isEqualTo("2");
        });
        verify(publisher, never()).publish(any());
    }

    @Test
    void refusesFromTheKnownTerminalStateWithoutAskingRedis() {
        when(terminal.refusal(COUPON, ANN.userId())).thenReturn(Optional.of(PrecheckOutcome.SOLD_OUT));

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOfSatisfying(CouponException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SOLD_OUT));
        verify(locks, never()).admit(any(), any(), any());
    }

    @Test
    void tellsTheTerminalCacheOfEachRefusalRedisGave() {
        when(locks.admit(any(), eq(ANN), any())).thenReturn(new PrecheckResult(PrecheckOutcome.SOLD_OUT, null, 0));

        assertThatThrownBy(() -> service.request(COUPON, ANN)).isInstanceOf(CouponException.class);
        verify(terminal).refusedByRedis(COUPON, PrecheckOutcome.SOLD_OUT);
    }

    private void acceptedByRedis() {
        when(locks.admit(any(), eq(ANN), any())).thenAnswer(call ->
                new PrecheckResult(PrecheckOutcome.ACCEPTED, call.getArgument(0).toString(), 3, 0,
                        Instant.parse("2026-12-01T10:00:00Z")));
    }
}
