package io.rushcoupon.worker.issuance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.DatabaseStock;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.worker.issuance.IssuanceStore.CouponStock;
import io.rushcoupon.worker.issuance.IssuanceStore.ExistingIssuance;
import io.rushcoupon.worker.issuance.IssuanceStore.InsertPass;
import io.rushcoupon.worker.notification.Notifications;

/**
 * Decides one coupon's requests of a batch in one PostgreSQL transaction and records every fresh
 * decision there: an issuance row for ISSUED (the unique keys make replays and duplicates
 * harmless), an issue_rejection row for REJECTED. A request decided before (a redelivered record,
 * a re-sent event) gets its recorded decision again and is never decided anew. Every transaction
 * that records a fresh decision ends with the coupon's version check, so two deciders of the same
 * request (a rebalance overlap, an admin's change) cannot both commit.
 *
 * <p>The gateway already decided admission (window, pause, its own stock count); here PostgreSQL
 * is the fence for I1 and I2, so requests that Redis let through beyond the real stock are
 * rejected as SOLD_OUT, and requests of a coupon closed since they were admitted as
 * ISSUANCE_ENDED. A paused coupon still issues what it admitted while open.
 */
@Component
class CouponIssuer {

    private static final Logger log = LoggerFactory.getLogger(CouponIssuer.class);

    private final IssuanceStore store;
    private final TransactionTemplate transaction;
    private final IssuanceProperties.VersionRetry retry;
    private final IssuanceMetrics metrics;
    private final Notifications notifications;

    CouponIssuer(IssuanceStore store, TransactionTemplate transaction, IssuanceProperties properties,
            IssuanceMetrics metrics, Notifications notifications) {
        this.store = store;
        this.transaction = transaction;
        this.retry = properties.versionRetry();
        this.metrics = metrics;
        this.notifications = notifications;
    }

    /**
     * Decides and commits the requests (all of one coupon, in acceptance order).
     *
     * @throws VersionConflictException when the coupon kept changing under every attempt; nothing
     *                                  is committed and the caller retries the batch later
     */
    CouponOutcome issue(long couponId, List<IssueRequested> requests) {
        return decide(couponId, distinctByRequest(requests), null);
    }

    /**
     * Rejects one request for {@code reason} without trying to issue it (a record that cannot be
     * issued), unless it was decided before: then its recorded decision stands.
     */
    CouponOutcome reject(long couponId, IssueRequested request, ErrorCode reason) {
        return decide(couponId, List.of(request), reason);
    }

    private CouponOutcome decide(long couponId, List<IssueRequested> requests, @Nullable ErrorCode rejectAll) {
        BackOffExecution backOff = versionBackOff().start();
        while (true) {
            try {
                return transaction.execute(status -> attempt(couponId, requests, rejectAll));
            } catch (VersionConflictException conflict) {
                long pause = backOff.nextBackOff();
                if (pause == BackOffExecution.STOP) {
                    throw conflict;
                }
                metrics.versionRetry();
                log.debug("Retrying coupon {} in {} ms: {}", couponId, pause, conflict.getMessage());
                pause(pause, conflict);
            }
        }
    }

    private CouponOutcome attempt(long couponId, List<IssueRequested> requests, @Nullable ErrorCode rejectAll) {
        // the stock first: a decision committed after this read bumped the version, one committed
        // before it is seen by the read of recorded decisions
        Optional<CouponStock> coupon = store.stock(couponId);
        Map<String, FinalStatus> recorded = store.decided(requests.stream().map(IssueRequested::requestId).toList());
        List<IssueRequested> undecided = requests.stream()
                .filter(request -> !recorded.containsKey(request.requestId()))
                .toList();

        Map<String, IssueDecision> decided = new HashMap<>();
        ErrorCode rejectUndecided = rejectAll != null ? rejectAll : refusal(coupon);
        if (rejectUndecided != null) {
            for (IssueRequested request : undecided) {
                decided.put(request.requestId(), fresh(request, rejected(request, rejectUndecided)));
            }
        } else {
            decided.putAll(issueWithinStock(couponId, undecided, coupon.orElseThrow().remaining()));
        }

        List<IssueDecision> decisions = new ArrayList<>(requests.size());
        for (IssueRequested request : requests) {
            FinalStatus before = recorded.get(request.requestId());
            decisions.add(before != null ? new IssueDecision(request, before, true) : decided.get(request.requestId()));
        }
        int issued = (int) decisions.stream()
                .filter(decision -> !decision.replay() && decision.status().status() == IssueStatus.ISSUED)
                .count();
        record(couponId, coupon.orElse(null), decisions, issued);
        DatabaseStock after = coupon.map(stock -> new DatabaseStock(stock.remaining() - issued, stock.total()))
                .orElse(null);
        return new CouponOutcome(couponId, decisions, after, issued);
    }

    /** Why none of the coupon's undecided requests can be issued, or {@code null} when they may be. */
    private static @Nullable ErrorCode refusal(Optional<CouponStock> coupon) {
        if (coupon.isEmpty()) {
            return ErrorCode.COUPON_NOT_FOUND;
        }
        // closing is final; a pause is not: what was admitted while open is honoured
        return coupon.get().state() == CouponState.CLOSED ? ErrorCode.ISSUANCE_ENDED : null;
    }

    /**
     * Issues what the stock allows, in order; the rest are duplicates of a user's row or SOLD_OUT.
     * A row found with the request's own id was inserted by a concurrent decider: a replay.
     */
    private Map<String, IssueDecision> issueWithinStock(long couponId, List<IssueRequested> requests, int remaining) {
        Map<String, Instant> inserted = insertWithinStock(couponId, requests, remaining);
        List<IssueRequested> notInserted = requests.stream()
                .filter(request -> !inserted.containsKey(request.requestId()))
                .toList();
        Map<String, ExistingIssuance> byRequest = new HashMap<>();
        Map<Long, ExistingIssuance> byUser = new HashMap<>();
        if (!notInserted.isEmpty()) {
            for (ExistingIssuance row : store.existing(couponId, notInserted)) {
                byRequest.put(row.requestId(), row);
                byUser.put(row.userId(), row);
            }
        }
        Map<String, IssueDecision> decisions = new HashMap<>();
        for (IssueRequested request : requests) {
            Instant issuedAt = inserted.get(request.requestId());
            ExistingIssuance sameRequest = byRequest.get(request.requestId());
            IssueDecision decision;
            if (issuedAt != null) {
                decision = fresh(request, FinalStatus.issued(requestId(request), request.userId(), issuedAt));
            } else if (sameRequest != null) {
                decision = new IssueDecision(request,
                        FinalStatus.issued(requestId(request), sameRequest.userId(), sameRequest.issuedAt()), true);
            } else if (byUser.containsKey(request.userId())) {
                decision = fresh(request, rejected(request, ErrorCode.DUPLICATE_REQUEST));
            } else {
                decision = fresh(request, rejected(request, ErrorCode.SOLD_OUT));
            }
            decisions.put(request.requestId(), decision);
        }
        return decisions;
    }

    /**
     * Writes the fresh rejections and runs the version check when anything was decided now, and records
     * the sold-out notification when the issues take the last units. A
     * rejection that is already recorded, or a version that moved, means another decider got
     * there first: the transaction rolls back and the retry replays its decisions.
     */
    private void record(long couponId, @Nullable CouponStock stock, List<IssueDecision> decisions, int issued) {
        List<FinalStatus> rejections = decisions.stream()
                .filter(decision -> !decision.replay() && decision.status().status() == IssueStatus.REJECTED)
                .map(IssueDecision::status)
                .toList();
        if (store.reject(couponId, rejections) != rejections.size()) {
            throw new VersionConflictException(couponId, "some of its requests were rejected concurrently");
        }
        boolean decidedNow = decisions.stream().anyMatch(decision -> !decision.replay());
        if (stock != null && decidedNow && !store.takeStock(couponId, stock.version(), issued)) {
            throw new VersionConflictException(couponId, stock.version());
        }
        // the version check passed, so this is the one commit that takes the last units; the
        // notification commits (or rolls back) with it
        if (stock != null && issued > 0 && stock.remaining() == issued) {
            notifications.soldOut(couponId);
        }
    }

    /**
     * Inserts rows for the first requests in order until the stock is used up or no request is
     * left that can be issued. A pass that lost a race to a concurrent insert of the same key (a
     * rebalance overlap) runs again: the rows it lost to are committed by then and filtered out.
     */
    private Map<String, Instant> insertWithinStock(long couponId, List<IssueRequested> requests, int remaining) {
        Map<String, Instant> inserted = new LinkedHashMap<>();
        if (remaining <= 0 || requests.isEmpty()) {
            return inserted;
        }
        store.addUsers(requests);
        List<IssueRequested> candidates = requests;
        int left = remaining;
        while (left > 0 && !candidates.isEmpty()) {
            InsertPass pass = store.insert(couponId, candidates, left);
            pass.inserted().forEach(row -> inserted.put(row.requestId(), row.issuedAt()));
            left -= pass.inserted().size();
            if (pass.inserted().size() == pass.picked()) {
                break;
            }
            candidates = candidates.stream().filter(request -> !inserted.containsKey(request.requestId())).toList();
        }
        return inserted;
    }

    private ExponentialBackOff versionBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(retry.initialBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(retry.maxBackoff().toMillis());
        backOff.setJitter(retry.initialBackoff().toMillis() / 2);
        backOff.setMaxAttempts(retry.attempts() - 1L);
        return backOff;
    }

    private static void pause(long millis, VersionConflictException conflict) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw conflict;
        }
    }

    /** A redelivered record may sit twice in one batch; it is decided once. */
    private static List<IssueRequested> distinctByRequest(List<IssueRequested> requests) {
        Map<String, IssueRequested> distinct = new LinkedHashMap<>();
        for (IssueRequested request : requests) {
            distinct.putIfAbsent(request.requestId(), request);
        }
        return distinct.size() == requests.size() ? requests : List.copyOf(distinct.values());
    }

    private static IssueDecision fresh(IssueRequested request, FinalStatus status) {
        return new IssueDecision(request, status, false);
    }

    private static FinalStatus rejected(IssueRequested request, ErrorCode reason) {
        return FinalStatus.rejected(requestId(request), request.userId(), reason);
    }

    /** Valid events only reach the issuer, so the id parses. */
    private static RequestId requestId(IssueRequested request) {
        RequestId id = RequestId.tryParse(request.requestId());
        if (id == null) {
            throw new IllegalArgumentException("unvalidated request id " + request.requestId());
        }
        return id;
    }
}
