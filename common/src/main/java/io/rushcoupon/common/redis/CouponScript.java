package io.rushcoupon.common.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts that change (or, for the clock, read) coupon state in Redis, kept as resources
 * beside this class and loaded by name. Each script's header documents its KEYS and ARGV.
 */
public enum CouponScript {

    /** Gateway: admit or refuse one request atomically. */
    ISSUE_PRECHECK("issue-precheck.lua"),
    /** Gateway: the users with a request for a coupon, for its cache of terminal coupons. */
    COUPON_USERS_SNAPSHOT("coupon-users-snapshot.lua"),
    /** Gateway: release the user's lock an admission took, if that request still owns it. */
    USER_LOCK_RELEASE("user-lock-release.lua"),
    /** Gateway: undo an admitted request that was definitely not sent to Kafka. */
    ISSUE_COMPENSATE("issue-compensate.lua"),
    /** Worker: record the final status of committed requests and correct the stock. */
    ISSUE_FINALIZE("issue-finalize.lua"),
    /** Admin and reconciler: publish a coupon's settings; never its stock, unless creating a new coupon. */
    COUPON_PUBLISH("coupon-publish.lua"),
    /** Admin: move the stock with a change of the total before it commits, refusing one below issued + pending. */
    COUPON_ADJUST_TOTAL("coupon-adjust-total.lua"),
    /** Restorer: copy the pending set of a coupon missing from Redis, the first step of its rebuild. */
    PENDING_COPY("pending-copy.lua"),
    /** Restorer: create a missing coupon's settings and stock from PostgreSQL, the last step of its rebuild. */
    COUPON_REBUILD("coupon-rebuild.lua"),
    /** Restorer: restore the final statuses (ISSUED, REJECTED) of requests that Redis lost. */
    REQUEST_RESTORE("request-restore.lua"),
    /** Reconciler: set a quiet coupon's drifted stock to PostgreSQL's, if it is still quiet. */
    COUPON_STOCK_REPAIR("coupon-stock-repair.lua"),
    /** Reconciler: mark the coupon state loaded if Redis kept it through the whole round. */
    STATE_MARK_LOADED("state-mark-loaded.lua"),
    /** Anyone comparing with pending scores or windows: Redis's clock, on the coupon's node. */
    REDIS_TIME("redis-time.lua"),
    /** Admin: forget a coupon being deleted, unless a request is pending or Redis still admits for it. */
    COUPON_REMOVE("coupon-remove.lua");

    private final String resource;
    private final String source;

    CouponScript(String resource) {
        this.resource = resource;
        this.source = read(resource);
    }

    public String resource() {
        return resource;
    }

    public String source() {
        return source;
    }

    private static String read(String resource) {
        try (InputStream in = CouponScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
