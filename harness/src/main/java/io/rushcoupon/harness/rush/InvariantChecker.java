package io.rushcoupon.harness.rush;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.harness.rush.RushClient.Answer;
import io.rushcoupon.harness.rush.RushClient.Outcome;

/**
 * Checks the invariants I1–I5 of one coupon after a rush, from every answer the clients saw,
 * what they polled at the end, and the final PostgreSQL and Redis state.
 */
public final class InvariantChecker {

    /** What one coupon's rush came to; {@link #violations()} is empty when every invariant holds. */
    public record Report(long couponId, int sent, int accepted, int issued, Map<String, Long> rejected,
            Map<String, Long> refused, int lost, int duplicated, int overIssued, Duration p50, Duration p99,
            List<String> violations) {

        public String line() {
            return "coupon %d: sent %d, accepted %d, issued %d, rejected %s, refused %s, lost %d, duplicated %d, "
                    .formatted(couponId, sent, accepted, issued, rejected, refused, lost, duplicated)
                    + "over-issued %d, latency p50 %d ms p99 %d ms, violations %d"
                            .formatted(overIssued, p50.toMillis(), p99.toMillis(), violations.size());
        }
    }

    /**
     * What the database and Redis say about one coupon, without any client's view: I1, I2 and I5,
     * and whether anything is still pending.
     */
    public record StateReport(long couponId, int total, int issued, long distinctUsers, int databaseRemaining,
            Integer redisRemaining, int pending, List<String> violations) {
    }

    private record Row(long userId, String requestId) {
    }

    private final JdbcClient db;
    private final CouponRedis redis;

    public InvariantChecker(JdbcClient db, CouponRedis redis) {
        this.db = db;
        this.redis = redis;
    }

    /** I1, I2 and I5 of one coupon from the final PostgreSQL and Redis state alone. */
    public StateReport checkState(long couponId) {
        List<String> violations = new ArrayList<>();
        int total = db.sql("SELECT total_quantity FROM coupon WHERE id = ?").param(couponId).query(Integer.class).single();
        int databaseRemaining = db.sql("SELECT remaining_quantity FROM coupon WHERE id = ?").param(couponId)
                .query(Integer.class).single();
        int issued = db.sql("SELECT count(*) FROM coupon_issuance WHERE coupon_id = ?").param(couponId)
                .query(Integer.class).single();
        long distinctUsers = db.sql("SELECT count(DISTINCT user_id) FROM coupon_issuance WHERE coupon_id = ?")
                .param(couponId).query(Long.class).single();
        if (issued > total) {
            violations.add("I1: " + issued + " issuance rows for " + total + " units");
        }
        if (distinctUsers != issued) {
            violations.add("I2: " + (issued - distinctUsers) + " users issued more than once");
        }
        var coupon = redis.coupon(couponId);
        int pending = redis.pendingCount(couponId);
        Integer redisRemaining = coupon.map(view -> view.remaining()).orElse(null);
        if (redisRemaining == null) {
            violations.add("I5: coupon missing from Redis");
        } else if (redisRemaining != databaseRemaining || databaseRemaining != total - issued) {
            violations.add("I5: Redis remaining " + redisRemaining + ", PostgreSQL remaining " + databaseRemaining
                    + ", total - issued " + (total - issued));
        }
        if (pending != 0) {
            violations.add("I5: " + pending + " requests still pending in Redis");
        }
        return new StateReport(couponId, total, issued, distinctUsers, databaseRemaining, redisRemaining, pending,
                violations);
    }

    /** Every invariant of one coupon, from the state and from every answer the clients saw. */
    public Report check(long couponId, List<Answer> answers, Map<String, Outcome> outcomes) {
        StateReport state = checkState(couponId);
        List<String> violations = new ArrayList<>(state.violations());
        int total = state.total();
        List<Row> rows = db.sql("SELECT user_id, request_id FROM coupon_issuance WHERE coupon_id = ?").param(couponId)
                .query((rs, n) -> new Row(rs.getLong(1), rs.getString(2))).list();
        Map<String, Row> rowsByRequest = rows.stream().collect(Collectors.toMap(Row::requestId, Function.identity()));

        List<Answer> accepted = answers.stream().filter(Answer::accepted).toList();
        Map<String, Answer> acceptedById = accepted.stream()
                .collect(Collectors.toMap(Answer::requestId, Function.identity()));

        int overIssued = Math.max(0, rows.size() - total);
        int duplicated = (int) (rows.size() - state.distinctUsers());
        // I3 nothing lost: every 202 is final
        int lost = 0;
        for (Answer answer : accepted) {
            Outcome outcome = outcomes.get(answer.requestId());
            if (outcome == null || !("ISSUED".equals(outcome.status()) || "REJECTED".equals(outcome.status()))) {
                lost++;
            }
        }
        if (lost > 0) {
            violations.add("I3: " + lost + " accepted requests never reached ISSUED or REJECTED");
        }
        // I4 honest answers
        for (Answer answer : accepted) {
            Outcome outcome = outcomes.get(answer.requestId());
            Row row = rowsByRequest.get(answer.requestId());
            if (outcome != null && "ISSUED".equals(outcome.status())
                    && (row == null || row.userId() != answer.attempt().userId())) {
                violations.add("I4: request " + answer.requestId() + " shown ISSUED without its row");
            }
            if (outcome != null && "REJECTED".equals(outcome.status()) && row != null) {
                violations.add("I4: request " + answer.requestId() + " shown REJECTED but issued");
            }
        }
        for (Row row : rows) {
            Answer answer = acceptedById.get(row.requestId());
            if (answer == null || answer.attempt().userId() != row.userId()) {
                violations.add("I4: row for user " + row.userId() + " from a request no client was told 202");
            }
        }
        Map<String, Long> rejected = new TreeMap<>(outcomes.values().stream()
                .filter(outcome -> "REJECTED".equals(outcome.status()))
                .collect(Collectors.groupingBy(Outcome::reason, Collectors.counting())));
        Map<String, Long> refused = new TreeMap<>(answers.stream().filter(answer -> !answer.accepted())
                .collect(Collectors.groupingBy(answer -> answer.status() + " " + answer.code(), Collectors.counting())));
        List<Duration> latencies = answers.stream().map(Answer::latency).sorted(Comparator.naturalOrder()).toList();
        return new Report(couponId, answers.size(), accepted.size(), rows.size(), rejected, refused, lost, duplicated,
                overIssued, percentile(latencies, 0.50), percentile(latencies, 0.99), violations);
    }

    private static Duration percentile(List<Duration> sorted, double fraction) {
        if (sorted.isEmpty()) {
            return Duration.ZERO;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(fraction * sorted.size()) - 1));
    }

    public static Map<Long, List<Answer>> byCoupon(List<Answer> answers) {
        Map<Long, List<Answer>> grouped = new HashMap<>();
        answers.forEach(answer -> grouped.computeIfAbsent(answer.attempt().couponId(), id -> new ArrayList<>()).add(answer));
        return grouped;
    }
}
