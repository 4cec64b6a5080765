package io.rushcoupon.system.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.harness.rush.InvariantChecker;
import io.rushcoupon.harness.rush.InvariantChecker.StateReport;
import io.rushcoupon.system.fault.FaultRush.Exchange;
import io.rushcoupon.system.fault.FaultRush.Tracked;

/**
 * Checks I1–I5 of one coupon after a fault, from every exchange the clients had, every request
 * they learned and polled, and the final PostgreSQL and Redis state (the state part is
 * {@link InvariantChecker#checkState}). Clients here retry, and may get no answer at all (a
 * gateway killed under them), so the answer-side rules are those a retrying client can hold the
 * system to:
 * <ul>
 *   <li>I3 nothing lost: every request id a user learned (a 202, or a DUPLICATE_REQUEST naming the
 *       user's earlier request) is seen ISSUED or REJECTED by polling</li>
 *   <li>I4 honest answers: ISSUED shown → that request's row, for that user; REJECTED shown → no
 *       row for it; a user told SOLD_OUT (by the gateway or the worker) is issued only through a
 *       request admitted after that answer (410 means "sold out now": a unit given back by a
 *       compensation or a rejection may go to a user who asks again); every row belongs to a
 *       request its user learned — unless the user's last call went unanswered or was told to
 *       retry and the user gave up</li>
 *   <li>no 500s: every refusal is a deliberate one</li>
 * </ul>
 */
final class FaultChecker {

    /** What one scenario came to; {@link #violations()} is empty when every invariant holds. */
    record Report(String scenario, long couponId, int users, int sent, int accepted, int issued,
            Map<String, Long> rejected, Map<String, Long> refused, int unanswered, int lost, int duplicated,
            int overIssued, int learnedByRetry, int unlearnedIssued, Duration maxToFinal, Duration maxAnswer,
            List<String> violations) {

        String line() {
            return ("%s: sent %d (%d users), accepted %d, issued %d, rejected %s, refused %s, unanswered %d, "
                    + "lost %d, duplicated %d, over-issued %d, learned by retry %d, issued unlearned %d, "
                    + "max time to final %.1f s%s, slowest answer %.1f s, violations %d")
                    .formatted(scenario, sent, users, accepted, issued, rejected, refused, unanswered, lost,
                            duplicated, overIssued, learnedByRetry, unlearnedIssued, maxToFinal.toMillis() / 1000.0,
                            lost > 0 ? " (of those seen final)" : "", maxAnswer.toMillis() / 1000.0, violations.size());
        }
    }

    private record Row(long userId, String requestId) {
    }

    /** How long the state may take to settle after the last request is final (a reconciler round or two). */
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final int SHOWN = 5;

    private final JdbcClient db;
    private final InvariantChecker state;

    FaultChecker(JdbcClient db, CouponRedis redis) {
        this.db = db;
        this.state = new InvariantChecker(db, redis);
    }

    /** Waits for the coupon's state to settle (nothing pending, Redis = PostgreSQL), then checks. */
    Report check(String scenario, long couponId, List<Exchange> exchanges, Collection<Tracked> tracked)
            throws InterruptedException {
        StateReport settled = awaitSettled(couponId);
        List<String> violations = new ArrayList<>(settled.violations());
        List<Row> rows = db.sql("SELECT user_id, request_id FROM coupon_issuance WHERE coupon_id = ?")
                .param(couponId).query((rs, n) -> new Row(rs.getLong(1), rs.getString(2))).list();
        Map<String, Row> rowsByRequest = rows.stream().collect(Collectors.toMap(Row::requestId, row -> row));
        Set<Long> issuedUsers = rows.stream().map(Row::userId).collect(Collectors.toSet());

        // I3: every learned request is seen final
        List<String> lostIds = new ArrayList<>();
        long maxToFinal = 0;
        for (Tracked request : tracked) {
            if (request.isFinal()) {
                maxToFinal = Math.max(maxToFinal, request.finalAtMillis - request.learnedAtMillis);
            } else {
                lostIds.add(request.requestId + " (user " + request.userId + ", learned at " + request.learnedAtMillis
                        + " ms via " + request.via + ", last seen " + request.status + " " + request.reason
                        + ", row in PostgreSQL " + rowsByRequest.containsKey(request.requestId) + ")");
            }
        }
        if (!lostIds.isEmpty()) {
            violations.add("I3: " + lostIds.size() + " learned requests never seen ISSUED or REJECTED, e.g. "
                    + first(lostIds));
        }

        // I4: what polling showed matches the rows
        List<String> dishonest = new ArrayList<>();
        for (Tracked request : tracked) {
            Row row = rowsByRequest.get(request.requestId);
            if ("ISSUED".equals(request.status) && (row == null || row.userId() != request.userId)) {
                dishonest.add("request " + request.requestId + " shown ISSUED without its row");
            }
            if ("REJECTED".equals(request.status) && row != null) {
                dishonest.add("request " + request.requestId + " shown REJECTED " + request.reason + " but issued");
            }
            if ("REJECTED".equals(request.status) && "SOLD_OUT".equals(request.reason)
                    && issuedBefore(request.userId, request.finalAtMillis, rows, tracked)) {
                dishonest.add("user " + request.userId + " shown REJECTED SOLD_OUT but issued a request learned"
                        + " before that");
            }
        }
        // I4: told SOLD_OUT by the gateway → not issued through a request obtained before the answer
        Map<Long, Exchange> lastByUser = new HashMap<>();
        for (Exchange exchange : exchanges) {
            lastByUser.merge(exchange.userId(), exchange,
                    (a, b) -> a.sentAtMillis() >= b.sentAtMillis() ? a : b);
            if ("SOLD_OUT".equals(exchange.code()) && issuedUsers.contains(exchange.userId())
                    && issuedBefore(exchange.userId(), exchange.sentAtMillis(), rows, tracked)) {
                dishonest.add("user " + exchange.userId() + " told SOLD_OUT at " + exchange.sentAtMillis()
                        + " ms but issued a request learned before that");
            }
        }
        // I4: every row comes from a request its user learned, or from a user who gave up retrying
        Map<String, Tracked> trackedById = new HashMap<>();
        tracked.forEach(request -> trackedById.put(request.requestId, request));
        int unlearnedIssued = 0;
        for (Row row : rows) {
            Tracked learned = trackedById.get(row.requestId());
            if (learned != null && learned.userId == row.userId()) {
                continue;
            }
            Exchange last = lastByUser.get(row.userId());
            if (last != null && last.retryable()) {
                unlearnedIssued++;
            } else {
                dishonest.add("row for user " + row.userId() + " from request " + row.requestId()
                        + " the user never learned; last answer " + (last == null ? "none" : last.outcome()));
            }
        }
        if (!dishonest.isEmpty()) {
            violations.add("I4: " + dishonest.size() + " dishonest answers, e.g. " + first(dishonest));
        }
        // no 500s
        long failures = exchanges.stream().filter(exchange -> exchange.status() >= 500 && exchange.status() != 503)
                .count();
        if (failures > 0) {
            violations.add("answers: " + failures + " server errors other than 503");
        }

        Set<String> acceptedIds = new HashSet<>();
        exchanges.stream().filter(Exchange::accepted).forEach(exchange -> acceptedIds.add(exchange.requestId()));
        Map<String, Long> rejected = new TreeMap<>(tracked.stream()
                .filter(request -> "REJECTED".equals(request.status))
                .collect(Collectors.groupingBy(request -> String.valueOf(request.reason), Collectors.counting())));
        Map<String, Long> refused = new TreeMap<>(exchanges.stream().filter(exchange -> !exchange.accepted())
                .collect(Collectors.groupingBy(Exchange::outcome, Collectors.counting())));
        int unanswered = (int) exchanges.stream().filter(exchange -> !exchange.answered()).count();
        long maxAnswer = exchanges.stream().mapToLong(Exchange::latencyMillis).max().orElse(0);
        int learnedByRetry = (int) tracked.stream().filter(request -> "duplicate".equals(request.via)
                && !acceptedIds.contains(request.requestId)).count();
        int users = (int) exchanges.stream().map(Exchange::userId).distinct().count();
        return new Report(scenario, couponId, users, exchanges.size(), acceptedIds.size(), rows.size(), rejected,
                refused, unanswered, lostIds.size(), (int) (rows.size() - settled.distinctUsers()),
                Math.max(0, rows.size() - settled.total()), learnedByRetry, unlearnedIssued,
                Duration.ofMillis(maxToFinal), Duration.ofMillis(maxAnswer), violations);
    }

    private StateReport awaitSettled(long couponId) throws InterruptedException {
        long until = System.nanoTime() + SETTLE.toNanos();
        StateReport report = state.checkState(couponId);
        while (!report.violations().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(500);
            report = state.checkState(couponId);
        }
        return report;
    }

    /**
     * Whether the user holds a row through a request not learned after {@code millis}: only a
     * request admitted after a SOLD_OUT answer may be issued to the user it was given to.
     */
    private static boolean issuedBefore(long userId, long millis, List<Row> rows, Collection<Tracked> tracked) {
        Map<String, Long> learnedAt = new HashMap<>();
        tracked.forEach(request -> learnedAt.put(request.requestId, request.learnedAtMillis));
        return rows.stream()
                .filter(row -> row.userId() == userId)
                .anyMatch(row -> learnedAt.getOrDefault(row.requestId(), Long.MIN_VALUE) <= millis);
    }

    private static String first(List<String> items) {
        return items.stream().limit(SHOWN).collect(Collectors.joining("; "))
                + (items.size() > SHOWN ? "; …" : "");
    }
}
