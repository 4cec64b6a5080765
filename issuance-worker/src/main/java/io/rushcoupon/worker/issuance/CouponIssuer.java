package io.rushcoupon.worker.issuance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.event.IssueRequested;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.FinalStatus;
import io.rushcoupon.worker.issuance.IssuanceStore.CouponStock;
import io.rushcoupon.worker.issuance.IssuanceStore.ExistingIssuance;
import io.rushcoupon.worker.issuance.IssuanceStore.InsertPass;

/**
 * Issues one coupon's requests of a batch in one PostgreSQL transaction: rows first (the unique
 * keys make replays and duplicates harmless), then the stock, guarded by the coupon's version.
 * The gateway already decided admission (window, pause, its own stock count); here PostgreSQL is
 * the fence for I1 and I2, so requests that Redis let through beyond the real stock are rejected
 * as SOLD_OUT.
 */
@Component
class CouponIssuer {

    private static final Logger log = LoggerFactory.getLogger(CouponIssuer.class);

    private final IssuanceStore store;
    private final TransactionTemplate transaction;
    private final IssuanceProperties.VersionRetry retry;
    private final IssuanceMetrics metrics;

    CouponIssuer(IssuanceStore store, TransactionTemplate transaction, IssuanceProperties properties,
            IssuanceMetrics metrics) {
        this.store = store;
        this.transaction = transaction;
        this.retry = properties.versionRetry();
        this.metrics = metrics;
    }

    /**
     * Decides and commits the requests (all of one coupon, in acceptance order).
     *
     * @throws VersionConflictException when the coupon kept changing under every attempt; nothing
     *                                  is committed and the caller retries the batch later
     */
    CouponOutcome issue(long couponId, List<IssueRequested> requests) {
        List<IssueRequested> distinct = distinctByRequest(requests);
        BackOffExecution backOff = versionBackOff().start();
        while (true) {
            try {
                return transaction.execute(status -> attempt(couponId, distinct));
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

    private CouponOutcome attempt(long couponId, List<IssueRequested> requests) {
        Optional<CouponStock> coupon = store.stock(couponId);
        if (coupon.isEmpty()) {
            List<IssueDecision> rejected = requests.stream()
                    .map(request -> fresh(request, rejected(request, ErrorCode.COUPON_NOT_FOUND)))
                    .toList();
            return new CouponOutcome(couponId, rejected, 0, 0);
        }
        CouponStock stock = coupon.get();
        Map<String, Instant> inserted = insertWithinStock(couponId, requests, stock.remaining());

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

        List<IssueDecision> decisions = new ArrayList<>(requests.size());
        int soldOut = 0;
        for (IssueRequested request : requests) {
            Instant issuedAt = inserted.get(request.requestId());
            ExistingIssuance sameRequest = byRequest.get(request.requestId());
            if (issuedAt != null) {
                decisions.add(fresh(request, FinalStatus.issued(requestId(request), request.userId(), issuedAt)));
            } else if (sameRequest != null) {
                decisions.add(new IssueDecision(request,
                        FinalStatus.issued(requestId(request), request.userId(), sameRequest.issuedAt()), true));
            } else if (byUser.containsKey(request.userId())) {
                decisions.add(fresh(request, rejected(request, ErrorCode.DUPLICATE_REQUEST)));
            } else {
                decisions.add(fresh(request, rejected(request, ErrorCode.SOLD_OUT)));
                soldOut++;
            }
        }

        // A SOLD_OUT answer relies on the stock read above just as an insert does: both need the
        // version check. Pure replays and duplicates do not touch the coupon row.
        if ((!inserted.isEmpty() || soldOut > 0)
                && !store.takeStock(couponId, stock.version(), inserted.size())) {
            throw new VersionConflictException(couponId, stock.version());
        }
        return new CouponOutcome(couponId, decisions, stock.remaining() - inserted.size(), inserted.size());
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
