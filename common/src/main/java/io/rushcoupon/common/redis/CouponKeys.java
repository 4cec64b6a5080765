package io.rushcoupon.common.redis;

import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rushcoupon.common.issue.RequestId;

/**
 * The Redis key scheme of one coupon. Every key carries the hash tag {@code {c:<id>}}, so all of
 * a coupon's keys live in one Redis Cluster slot and one Lua script may touch them together.
 *
 * <ul>
 *   <li>{@link #coupon()} hash: {@link CouponField}s (state, window, total, remaining, name)</li>
 *   <li>{@link #users()} hash: userId → requestId of the user's accepted request</li>
 *   <li>{@link #pending()} sorted set: requestId scored by acceptance time (epoch ms); the outbox
 *       the reconciler re-sends from</li>
 *   <li>{@link #request(RequestId)} hash: {@link RequestField}s of one request</li>
 *   <li>{@link #userLock(long)}: the per-user lock an admission takes until Kafka answered (issue-precheck.lua)</li>
 *   <li>{@link #userRate(long)} string: the user's request count in the current rate-limit window
 *       (expires with the window)</li>
 *   <li>{@link #pendingCopy(String)} sorted set: a restorer's copy of {@link #pending()}, read while
 *       it rebuilds the coupon (deleted by the rebuild, expires if the restorer dies)</li>
 * </ul>
 */
public record CouponKeys(long couponId) {

    /** The reconciler's leader lock: one active reconciler across all workers. */
    public static final String RECONCILER_LEADER_LOCK = "rc:reconciler:leader";

    /**
     * Set by the reconciler after each complete round; gone when Redis restarted empty. While it
     * is missing, a coupon or request Redis does not know may only not be restored yet, so the
     * gateway answers 503 instead of 404.
     */
    public static final String STATE_LOADED = "rc:{state}:loaded";

    /** The running reconciler round's token; same hash tag as {@link #STATE_LOADED}. */
    public static final String STATE_ROUND = "rc:{state}:round";

    /**
     * The pub/sub channel on which every script that may reopen admission for a coupon (stock given
     * back or moved, settings written, coupon created or removed) publishes its {@link #coupon()}
     * key; the gateways' cache of terminal coupons listens.
     */
    public static final String COUPON_CHANGES = "rc:coupon-changes";

    private static final Pattern COUPON_KEY = Pattern.compile("rc:\\{c:(\\d+)}:coupon");

    public CouponKeys {
        if (couponId <= 0) {
            throw new IllegalArgumentException("couponId must be positive");
        }
    }

    public static CouponKeys of(long couponId) {
        return new CouponKeys(couponId);
    }

    public static CouponKeys of(RequestId requestId) {
        return new CouponKeys(requestId.couponId());
    }

    /** The coupon a {@link #coupon()} key names, as {@link #COUPON_CHANGES} carries it; empty for any other text. */
    public static OptionalLong couponIdOf(String couponKey) {
        Matcher matcher = COUPON_KEY.matcher(couponKey);
        return matcher.matches() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    private String prefix() {
        return "rc:{c:" + couponId + "}:";
    }

    public String coupon() {
        return prefix() + "coupon";
    }

    public String users() {
        return prefix() + "users";
    }

    public String pending() {
        return prefix() + "pending";
    }

    public String request(RequestId requestId) {
        if (requestId.couponId() != couponId) {
            throw new IllegalArgumentException("request " + requestId + " is not of coupon " + couponId);
        }
        return prefix() + "req:" + requestId.uuid();
    }

    public String userLock(long userId) {
        return prefix() + "lock:user:" + userId;
    }

    /** The gateway's per-user request counter for this coupon (fixed window, INCR + PEXPIRE). */
    public String userRate(long userId) {
        return prefix() + "rate:" + userId;
    }

    /** A restorer's copy of the pending set, named by the restore's own token. */
    public String pendingCopy(String token) {
        return prefix() + "pending-copy:" + token;
    }

    /** Every key that holds this coupon's state (not the short-lived locks and rate counters). */
    public List<String> stateKeys() {
        return List.of(coupon(), users(), pending());
    }
}
