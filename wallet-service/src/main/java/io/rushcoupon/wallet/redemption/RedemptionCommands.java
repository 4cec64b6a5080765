package io.rushcoupon.wallet.redemption;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.wallet.coupon.CouponTerms;
import io.rushcoupon.wallet.coupon.Issuance;
import io.rushcoupon.common.coupon.IssuanceStatus;
import io.rushcoupon.wallet.coupon.Issuances;
import io.rushcoupon.wallet.idempotency.Fingerprint;
import io.rushcoupon.wallet.idempotency.IdempotentOutcome;
import io.rushcoupon.wallet.idempotency.IdempotentRequests;
import io.rushcoupon.wallet.idempotency.StoredAnswer;
import io.rushcoupon.wallet.redemption.RedemptionMetrics.Outcome;

/**
 * Redeeming a coupon and cancelling a redemption. A redemption's refusals (not found, redeemed,
 * expired, below the minimum) are answers like its success: stored with the key, sent again to a
 * repeat. Metrics count what committed.
 */
@Service
class RedemptionCommands {

    private final Issuances issuances;
    private final Redemptions redemptions;
    private final IdempotentRequests idempotent;
    private final RedemptionAnswers answers;
    private final RedemptionMetrics metrics;
    private final Clock clock;
    private final TransactionTemplate transaction;

    RedemptionCommands(Issuances issuances, Redemptions redemptions, IdempotentRequests idempotent,
            RedemptionAnswers answers, RedemptionMetrics metrics, Clock clock, PlatformTransactionManager transactions) {
        this.issuances = issuances;
        this.redemptions = redemptions;
        this.idempotent = idempotent;
        this.answers = answers;
        this.metrics = metrics;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** @param instance the request's path, the {@code instance} of a stored problem */
    IdempotentOutcome redeem(long userId, long issuanceId, String idempotencyKey, RedemptionRequest request,
            URI instance) {
        String fingerprint = Fingerprint.of(request.canonical(issuanceId));
        IdempotentOutcome outcome;
        try {
            outcome = idempotent.execute(userId, idempotencyKey, fingerprint,
                    () -> attempt(userId, issuanceId, request, instance));
        } catch (RuntimeException | Error failure) {
            metrics.outcome(Outcome.ERROR);
            throw failure;
        }
        switch (outcome) {
            case IdempotentOutcome.Answered answered when answered.replayed() -> metrics.outcome(Outcome.REPLAYED);
            case IdempotentOutcome.Answered answered -> {
                // counted when its transaction committed (attempt)
            }
            case IdempotentOutcome.InProgress inProgress -> metrics.outcome(Outcome.IN_PROGRESS);
            case IdempotentOutcome.KeyReused reused -> metrics.outcome(Outcome.KEY_REUSED);
        }
        return outcome;
    }

    /** In the transaction that also stores the answer with the key. */
    private StoredAnswer attempt(long userId, long issuanceId, RedemptionRequest request, URI instance) {
        Instant now = now();
        Optional<Issuance> found = issuances.findByIdAndUserId(issuanceId, userId);
        if (found.isEmpty()) {
            return refused(Outcome.NOT_FOUND, ErrorCode.ISSUANCE_NOT_FOUND,
                    "Coupon " + issuanceId + " is not in this wallet.", Map.of(), instance);
        }
        Issuance issuance = found.get();
        IssuanceStatus status = issuance.statusAt(now);
        if (status != IssuanceStatus.AVAILABLE) {
            return unavailable(issuanceId, status, instance);
        }
        CouponTerms terms = issuance.coupon();
        BigDecimal amount = request.amount();
        BigDecimal minimum = terms.minOrderAmount();
        if (minimum != null && amount.compareTo(minimum) < 0) {
            return refused(Outcome.MIN_ORDER_NOT_MET, ErrorCode.MIN_ORDER_NOT_MET,
                    "The coupon needs an order of at least " + minimum.toPlainString() + ".",
                    Map.of("minOrderAmount", minimum), instance);
        }
        if (!redemptions.markRedeemed(issuanceId, userId, now)) {
            // another request changed the row since our read; its committed status decides
            IssuanceStatus current = redemptions.issuanceStatus(issuanceId, now).orElse(IssuanceStatus.REDEEMED);
            return unavailable(issuanceId, current == IssuanceStatus.EXPIRED ? current : IssuanceStatus.REDEEMED,
                    instance);
        }
        Discount discount = Discount.of(terms.type(), terms.discountValue(), terms.maxDiscountAmount(), amount);
        long redemptionId = redemptions.insert(issuanceId, userId, request.order(), amount, discount, now);
        afterCommit(() -> metrics.redeemed(discount.discount()));
        return answers.created(new RedemptionResponse(redemptionId, issuanceId, request.order(), amount,
                discount.discount(), discount.payable(), now));
    }

    private StoredAnswer unavailable(long issuanceId, IssuanceStatus status, URI instance) {
        return status == IssuanceStatus.EXPIRED
                ? refused(Outcome.EXPIRED, ErrorCode.COUPON_EXPIRED, "Coupon " + issuanceId + " has expired.",
                        Map.of(), instance)
                : refused(Outcome.ALREADY_REDEEMED, ErrorCode.COUPON_ALREADY_REDEEMED,
                        "Coupon " + issuanceId + " is redeemed already.", Map.of(), instance);
    }

    private StoredAnswer refused(Outcome outcome, ErrorCode code, String detail, Map<String, Object> properties,
            URI instance) {
        afterCommit(() -> metrics.outcome(outcome));
        return answers.refused(code, detail, properties, instance);
    }

    /**
     * Cancels the user's redemption and makes its coupon AVAILABLE again, in one transaction; a
     * repeat, or a cancellation racing this one, finds it cancelled and changes nothing.
     */
    CancellationResponse cancel(long userId, long redemptionId) {
        return java.util.Objects.requireNonNull(transaction.execute(status -> {
            Instant now = now();
            Redemptions.Owned redemption = redemptions.findOwned(redemptionId, userId)
                    .orElseThrow(() -> new CouponException(ErrorCode.REDEMPTION_NOT_FOUND,
                            "Redemption " + redemptionId + " is not in this wallet."));
            if (redemptions.cancel(redemptionId, now)) {
                if (!redemptions.restore(redemption.issuanceId())) {
                    // V3's checks keep a standing redemption's coupon REDEEMED; roll back rather than guess
                    throw new IllegalStateException("coupon " + redemption.issuanceId() + " of standing redemption "
                            + redemptionId + " was not REDEEMED");
                }
                afterCommit(metrics::cancelled);
            }
            IssuanceStatus couponStatus = redemptions.issuanceStatus(redemption.issuanceId(), now).orElseThrow();
            return new CancellationResponse(redemptionId, RedemptionStatus.CANCELLED, couponStatus);
        }));
    }

    /** The user's redemption, standing or cancelled. */
    RedemptionView redemption(long userId, long redemptionId) {
        return redemptions.find(redemptionId, userId)
                .orElseThrow(() -> new CouponException(ErrorCode.REDEMPTION_NOT_FOUND,
                        "Redemption " + redemptionId + " is not in this wallet."));
    }

    /** PostgreSQL keeps microseconds: the instant answered is the instant stored. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static void afterCommit(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
