package io.rushcoupon.common.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RScript.Mode;
import org.redisson.api.RScript.ReturnType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.rushcoupon.common.coupon.CouponState;
import io.rushcoupon.common.issue.IssueStatus;
import io.rushcoupon.common.issue.RequestId;

/**
 * The one typed door to a coupon's state in Redis: runs the {@link CouponScript}s with the
 * {@link CouponKeys} scheme and reads the hashes back. Shared by gateway, worker and admin so the
 * KEYS/ARGV layout of each script is written down once.
 */
public final class CouponRedis {

    /** Users restored per HSET when rebuilding a coupon's users from PostgreSQL. */
    private static final int RESTORE_CHUNK = 1_000;

    private final RedissonClient redisson;
    private final RScript script;

    public CouponRedis(RedissonClient redisson) {
        this.redisson = redisson;
        this.script = redisson.getScript(StringCodec.INSTANCE);
    }

    /**
     * Admits or refuses one request at Redis's time (the script reads {@code TIME}): window, pause,
     * the user's earlier request and stock. An admission carries its time, also its pending score.
     * Neither rate limit nor user lock; the gateway uses {@link #precheck(RequestId, long, String, String, Duration, AdmissionGuard)}.
     */
    public PrecheckResult precheck(RequestId requestId, long userId, @Nullable String email,
            @Nullable String username, Duration requestTtl) {
        CouponKeys keys = CouponKeys.of(requestId);
        List<Object> reply = script.eval(Mode.READ_WRITE, CouponScript.ISSUE_PRECHECK.source(), ReturnType.LIST,
                List.of(keys.coupon(), keys.users(), keys.pending(), keys.request(requestId)),
                Long.toString(userId), requestId.toString(), nullToEmpty(email), nullToEmpty(username),
                Long.toString(requestTtl.toSeconds()), "admit");
        return result(reply);
    }

    /**
     * The gateway's whole admission in one script run: the user's rate limit, the pre-check, and on
     * admission the user's lock, owned by this request id until {@link #releaseUserLock} or its
     * lease. {@link PrecheckOutcome#LOCKED} when another request of the user holds the lock and
     * this one would otherwise be admitted or told DUPLICATE_REQUEST (issue-precheck.lua).
     */
    public PrecheckResult precheck(RequestId requestId, long userId, @Nullable String email,
            @Nullable String username, Duration requestTtl, AdmissionGuard guard) {
        CouponKeys keys = CouponKeys.of(requestId);
        List<Object> reply = script.eval(Mode.READ_WRITE, CouponScript.ISSUE_PRECHECK.source(), ReturnType.LIST,
                List.of(keys.coupon(), keys.users(), keys.pending(), keys.request(requestId), keys.userRate(userId),
                        keys.userLock(userId)),
                Long.toString(userId), requestId.toString(), nullToEmpty(email), nullToEmpty(username),
                Long.toString(requestTtl.toSeconds()), "admit", Integer.toString(guard.rateRequests()),
                Long.toString(guard.rateWindow().toMillis()), Long.toString(guard.lockLease().toMillis()));
        return result(reply);
    }

    /**
     * Releases the user's lock an admission took, if this request still owns it; asynchronous, so
     * the client's answer does not wait for it. Completes with whether it was still held.
     */
    public CompletionStage<Boolean> releaseUserLock(RequestId requestId, long userId) {
        RFuture<Long> released = script.evalAsync(Mode.READ_WRITE, CouponScript.USER_LOCK_RELEASE.source(),
                ReturnType.LONG, List.of(CouponKeys.of(requestId).userLock(userId)), requestId.toString());
        return released.thenApply(found -> found != null && found == 1L);
    }

    /**
     * The users with a request (pending or issued) for a coupon, read atomically; empty when there
     * are more than {@code most}. Asynchronous: the gateway fills its cache of terminal coupons
     * without making a client wait.
     */
    public CompletionStage<Optional<Set<Long>>> usersWithRequest(long couponId, int most) {
        // the master, as the pre-check: a lagging replica could miss a user who has a request
        RFuture<List<Object>> users = script.evalAsync(Mode.READ_WRITE, CouponScript.COUPON_USERS_SNAPSHOT.source(),
                ReturnType.LIST, List.of(CouponKeys.of(couponId).users()), Integer.toString(most));
        return users.thenApply(ids -> {
            if (ids.size() == 1 && "-1".equals(ids.getFirst())) {
                return Optional.empty();
            }
            Set<Long> userIds = new HashSet<>(ids.size() * 2);
            ids.forEach(id -> userIds.add(Long.parseLong((String) id)));
            return Optional.of(userIds);
        });
    }

    private static PrecheckResult result(List<Object> reply) {
        PrecheckOutcome outcome = PrecheckOutcome.valueOf((String) reply.get(0));
        String id = (String) reply.get(1);
        long retryAfterMillis = reply.size() > 3 ? Long.parseLong((String) reply.get(3)) : 0;
        Instant acceptedAt = reply.size() > 4 ? Instant.ofEpochMilli(Long.parseLong((String) reply.get(4))) : null;
        return new PrecheckResult(outcome, id.isEmpty() ? null : id, Long.parseLong((String) reply.get(2)),
                retryAfterMillis, acceptedAt);
    }

    /**
     * The pre-check's decision without changing anything: the same rules at Redis's time,
     * read-only. ACCEPTED means the request would be admitted now; only {@link #precheck} admits.
     */
    public PrecheckResult check(long couponId, long userId) {
        CouponKeys keys = CouponKeys.of(couponId);
        // the master, never a replica: a lagging replica could miss the user's earlier request and
        // say SOLD_OUT to a user who is about to be issued (I4). No request hash is touched, so the
        // coupon key stands in for it.
        List<Object> reply = script.eval(Mode.READ_WRITE, CouponScript.ISSUE_PRECHECK.source(), ReturnType.LIST,
                List.of(keys.coupon(), keys.users(), keys.pending(), keys.coupon()),
                Long.toString(userId), "", "", "", "0", "check");
        return result(reply);
    }

    /**
     * {@link #check(long, long)} that also counts the request against the user's rate limit for
     * this coupon, in the same script run: at most {@code requests} per {@code window} (a fixed
     * window that starts with the user's first request), else RATE_LIMITED with the time left in
     * the window. The counter lives in Redis, so the limit holds across gateway instances. A coupon
     * that does not exist is not counted.
     */
    public PrecheckResult check(long couponId, long userId, int requests, Duration window) {
        if (requests <= 0 || window.toMillis() <= 0) {
            throw new IllegalArgumentException("a rate limit needs positive requests and window");
        }
        CouponKeys keys = CouponKeys.of(couponId);
        List<Object> reply = script.eval(Mode.READ_WRITE, CouponScript.ISSUE_PRECHECK.source(), ReturnType.LIST,
                List.of(keys.coupon(), keys.users(), keys.pending(), keys.coupon(), keys.userRate(userId)),
                Long.toString(userId), "", "", "", "0", "check",
                Integer.toString(requests), Long.toString(window.toMillis()));
        return result(reply);
    }

    /** Undoes an admitted request Kafka definitely did not take, if it is still pending. */
    public Compensation compensate(RequestId requestId, long userId) {
        CouponKeys keys = CouponKeys.of(requestId);
        Long found = script.eval(Mode.READ_WRITE, CouponScript.ISSUE_COMPENSATE.source(), ReturnType.LONG,
                List.of(keys.coupon(), keys.users(), keys.pending(), keys.request(requestId)),
                Long.toString(userId), requestId.toString());
        if (found == null) {
            throw new IllegalStateException(CouponScript.ISSUE_COMPENSATE.resource() + " returned nothing");
        }
        return switch (found.intValue()) {
            case 1 -> Compensation.UNDONE;
            case 0 -> Compensation.DECIDED;
            case -1 -> Compensation.GONE;
            default -> throw new IllegalStateException(
                    CouponScript.ISSUE_COMPENSATE.resource() + " returned " + found);
        };
    }

    /**
     * Redis's clock on the node holding the coupon's keys: the one the pre-check admits by and
     * scores pending requests with. Compare pending scores and windows with this, not with a local clock.
     */
    public Instant time(long couponId) {
        // the master, as the pre-check: a replica's clock is another clock
        List<Object> time = script.eval(Mode.READ_WRITE, CouponScript.REDIS_TIME.source(), ReturnType.LIST,
                List.of(CouponKeys.of(couponId).coupon()));
        return Instant.ofEpochSecond(Long.parseLong((String) time.get(0)),
                Long.parseLong((String) time.get(1)) * 1_000);
    }

    /**
     * Records final statuses of one coupon's requests after the database commit, without knowing
     * PostgreSQL's total: the stock is only given back for rejections, never zeroed, so
     * {@code databaseRemaining} is not used.
     *
     * @return how many of them were still pending
     * @see #finalizeRequests(long, Collection, DatabaseStock, Duration)
     */
    public long finalizeRequests(long couponId, Collection<FinalStatus> statuses, int databaseRemaining,
            Duration requestTtl) {
        return finalizeWith(couponId, statuses, "", "", requestTtl);
    }

    /**
     * Records final statuses of one coupon's requests after the database commit. A request hash
     * that is already final stays as it is (statuses are monotonic); see issue-finalize.lua.
     *
     * @param stock PostgreSQL's stock read in the deciding transaction, or {@code null} when the
     *              coupon was not found there; remaining 0 zeroes Redis's stock only while the
     *              coupon hash still has the same total
     * @return how many of them were still pending
     */
    public long finalizeRequests(long couponId, Collection<FinalStatus> statuses, @Nullable DatabaseStock stock,
            Duration requestTtl) {
        return stock == null
                ? finalizeWith(couponId, statuses, "", "", requestTtl)
                : finalizeWith(couponId, statuses, Integer.toString(stock.remaining()), Integer.toString(stock.total()),
                        requestTtl);
    }

    private long finalizeWith(long couponId, Collection<FinalStatus> statuses, String databaseRemaining,
            String databaseTotal, Duration requestTtl) {
        if (statuses.isEmpty()) {
            return 0;
        }
        CouponKeys keys = CouponKeys.of(couponId);
        List<Object> keyList = new ArrayList<>(3 + statuses.size());
        keyList.add(keys.coupon());
        keyList.add(keys.users());
        keyList.add(keys.pending());
        List<Object> args = new ArrayList<>(3 + statuses.size() * 5);
        args.add(Long.toString(requestTtl.toSeconds()));
        args.add(databaseRemaining);
        args.add(databaseTotal);
        for (FinalStatus status : statuses) {
            keyList.add(keys.request(status.requestId()));
            args.add(status.requestId().toString());
            args.add(Long.toString(status.userId()));
            args.add(status.status().name());
            args.add(status.reason() == null ? "" : status.reason().name());
            args.add(status.issuedAt() == null ? "" : Long.toString(status.issuedAt().toEpochMilli()));
        }
        Long left = script.eval(Mode.READ_WRITE, CouponScript.ISSUE_FINALIZE.source(), ReturnType.LONG,
                keyList, args.toArray());
        return left == null ? 0 : left;
    }

    /**
     * Publishes a coupon Redis may not know yet: a missing hash is created with the snapshot's
     * stock, which is right only for a coupon nothing was issued or admitted for (just created); a
     * hash Redis has gets {@link #publishSettings} — its stock is never written.
     *
     * @return Redis's remaining stock afterwards
     */
    public long publish(CouponSnapshot coupon) {
        return publish(coupon, Integer.toString(coupon.remainingQuantity()));
    }

    /**
     * Publishes the settings and total of a coupon Redis has, never its remaining stock (PostgreSQL's
     * remaining less what is pending, moved only by the scripts that take or give back units and by
     * {@link #adjustTotal}). Writes nothing for a coupon Redis lacks: one that exists in PostgreSQL
     * lost its users and statuses too, and only the restorer ({@code common.restore}) puts those back.
     *
     * @return whether Redis had the coupon (and so got the settings)
     */
    public boolean publishSettings(CouponSnapshot coupon) {
        return publish(coupon, "") >= 0;
    }

    private long publish(CouponSnapshot coupon, String stockIfNew) {
        Object[] args = snapshotArgs(coupon);
        args[args.length - 1] = stockIfNew;
        Long remaining = script.eval(Mode.READ_WRITE, CouponScript.COUPON_PUBLISH.source(), ReturnType.LONG,
                List.of(CouponKeys.of(coupon.couponId()).coupon()), args);
        return remaining == null ? -1 : remaining;
    }

    /**
     * Moves a coupon's stock and total in Redis with a change of its total that PostgreSQL has
     * flushed but not committed; refuses a lower total below issued + pending. Undo it with
     * {@link #undoTotalAdjustment} if the change does not commit.
     *
     * @param delta             new total − old total, not 0
     * @param databaseRemaining PostgreSQL's remaining after the change
     */
    public TotalAdjustment adjustTotal(long couponId, int delta, int newTotal, int databaseRemaining) {
        List<Object> reply = adjustTotal(couponId, "adjust", delta, newTotal, databaseRemaining);
        return new TotalAdjustment(TotalAdjustment.Outcome.valueOf((String) reply.get(0)),
                Long.parseLong((String) reply.get(1)), Long.parseLong((String) reply.get(2)));
    }

    /**
     * Takes back an {@link TotalAdjustment.Outcome#ADJUSTED adjustment} whose change did not commit.
     *
     * @return whether Redis still had the coupon to take it back from
     */
    public boolean undoTotalAdjustment(long couponId, int delta, int newTotal, int oldTotal) {
        return "UNDONE".equals(adjustTotal(couponId, "undo", delta, newTotal, oldTotal).get(0));
    }

    private List<Object> adjustTotal(long couponId, String mode, int delta, int newTotal, int last) {
        if (delta == 0) {
            throw new IllegalArgumentException("a change of total moves it");
        }
        CouponKeys keys = CouponKeys.of(couponId);
        return script.eval(Mode.READ_WRITE, CouponScript.COUPON_ADJUST_TOTAL.source(), ReturnType.LIST,
                List.of(keys.coupon(), keys.pending()), mode, Integer.toString(delta), Integer.toString(newTotal),
                Integer.toString(last));
    }

    /**
     * The first step of rebuilding a coupon: copies its pending set to a key of its own, unless Redis
     * has the coupon (then there is nothing to rebuild). See coupon-rebuild.lua for why the copy.
     *
     * @param lifetime how long the copy outlives a restorer that dies before {@link #rebuild}
     * @return the copy, or empty when the coupon hash exists
     */
    public Optional<PendingCopy> copyPendingIfMissing(long couponId, Duration lifetime) {
        CouponKeys keys = CouponKeys.of(couponId);
        String copy = keys.pendingCopy(UUID.randomUUID().toString());
        List<Long> reply = script.eval(Mode.READ_WRITE, CouponScript.PENDING_COPY.source(), ReturnType.LIST,
                List.of(keys.coupon(), keys.pending(), copy), Long.toString(lifetime.toMillis()));
        return reply.get(0) == 1L ? Optional.of(new PendingCopy(couponId, copy, reply.get(1))) : Optional.empty();
    }

    /** Request ids of the copy by rank, from {@code offset}: the copy does not change, so pages neither skip nor repeat. */
    public List<String> pendingCopyPage(PendingCopy copy, long offset, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return List.copyOf(redisson.<String>getScoredSortedSet(copy.key(), StringCodec.INSTANCE)
                .valueRange((int) offset, (int) (offset + limit - 1)));
    }

    /** Forgets a copy a rebuild did not get to use (the rebuild deletes it itself). */
    public void dropPendingCopy(PendingCopy copy) {
        redisson.getKeys().delete(copy.key());
    }

    /**
     * The last step of rebuilding a coupon missing from Redis: creates its hash with PostgreSQL's
     * settings and {@code remaining - undecidedPending}, only if it is still missing, and deletes the
     * copy. The users and statuses come first ({@link #restoreUsers}, {@link #restoreStatuses}), so
     * the gateway sees the coupon only once they are back.
     *
     * @param coupon           the coupon as PostgreSQL's snapshot has it
     * @param undecidedPending requests of {@code copy} that the same snapshot has not decided
     */
    public RebuildOutcome rebuild(CouponSnapshot coupon, long undecidedPending, PendingCopy copy) {
        if (copy.couponId() != coupon.couponId()) {
            throw new IllegalArgumentException("copy " + copy + " is not of coupon " + coupon.couponId());
        }
        Object[] args = Arrays.copyOf(snapshotArgs(coupon), 7);
        args[6] = Long.toString(undecidedPending);
        List<Long> reply = script.eval(Mode.READ_WRITE, CouponScript.COUPON_REBUILD.source(), ReturnType.LIST,
                List.of(CouponKeys.of(coupon.couponId()).coupon(), copy.key()), args);
        return new RebuildOutcome(reply.get(0) == 1L, reply.get(1));
    }

    /**
     * Remembers users already issued (from PostgreSQL) as served, so the pre-check answers them
     * DUPLICATE_REQUEST.
     *
     * @param issuedUsers userId → requestId of issuance rows of the coupon
     */
    public void restoreUsers(long couponId, Map<Long, String> issuedUsers) {
        var users = redisson.<String, String>getMap(CouponKeys.of(couponId).users(), StringCodec.INSTANCE);
        Map<String, String> chunk = new HashMap<>();
        for (var user : issuedUsers.entrySet()) {
            chunk.put(Long.toString(user.getKey()), user.getValue());
            if (chunk.size() == RESTORE_CHUNK) {
                users.putAll(chunk);
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            users.putAll(chunk);
        }
    }

    /**
     * Writes the final status of each given request whose hash Redis no longer has (it restarted
     * empty), so their users can poll the outcome again; hashes present are left as they are, and a
     * decision older than the request TTL is not restored (its hash would have expired).
     *
     * @param decisions final statuses of requests of one coupon, from PostgreSQL
     * @return how many were restored
     */
    public long restoreStatuses(long couponId, Collection<RecordedDecision> decisions, Duration requestTtl) {
        CouponKeys keys = CouponKeys.of(couponId);
        long restored = 0;
        List<Object> keyList = new ArrayList<>(RESTORE_CHUNK);
        List<Object> args = new ArrayList<>(1 + RESTORE_CHUNK * 5);
        for (RecordedDecision decision : decisions) {
            FinalStatus status = decision.status();
            if (args.isEmpty()) {
                args.add(Long.toString(requestTtl.toMillis()));
            }
            keyList.add(keys.request(status.requestId()));
            args.add(status.status().name());
            args.add(Long.toString(status.userId()));
            args.add(status.reason() == null ? "" : status.reason().name());
            args.add(status.issuedAt() == null ? "" : Long.toString(status.issuedAt().toEpochMilli()));
            args.add(Long.toString(decision.decidedAt().toEpochMilli()));
            if (keyList.size() == RESTORE_CHUNK) {
                restored += restoreChunk(keyList, args);
            }
        }
        if (!keyList.isEmpty()) {
            restored += restoreChunk(keyList, args);
        }
        return restored;
    }

    private long restoreChunk(List<Object> keyList, List<Object> args) {
        Long restored = script.eval(Mode.READ_WRITE, CouponScript.REQUEST_RESTORE.source(), ReturnType.LONG,
                List.copyOf(keyList), args.toArray());
        keyList.clear();
        args.clear();
        return restored == null ? 0 : restored;
    }

    /**
     * Sets a quiet coupon's drifted stock to PostgreSQL's (the reconciler's repair of I5), only if it
     * still has nothing pending and the remaining the caller read.
     *
     * @param seenRemaining     Redis's remaining as the caller read it, with nothing pending
     * @param databaseRemaining PostgreSQL's remaining, read after that
     * @return whether it was repaired
     */
    public boolean repairStock(long couponId, int seenRemaining, int databaseRemaining) {
        CouponKeys keys = CouponKeys.of(couponId);
        Long repaired = script.eval(Mode.READ_WRITE, CouponScript.COUPON_STOCK_REPAIR.source(), ReturnType.LONG,
                List.of(keys.coupon(), keys.pending()), Integer.toString(seenRemaining),
                Integer.toString(databaseRemaining));
        return repaired != null && repaired == 1L;
    }

    /**
     * Forgets a coupon being deleted, unless a request of it is still pending or Redis still admits
     * for it (ACTIVE and its window not over by Redis's clock); checked and removed in one step.
     */
    public CouponRemoval remove(long couponId) {
        CouponKeys keys = CouponKeys.of(couponId);
        List<Object> reply = script.eval(Mode.READ_WRITE, CouponScript.COUPON_REMOVE.source(), ReturnType.LIST,
                List.of(keys.coupon(), keys.users(), keys.pending()));
        CouponRemoval.Outcome outcome = CouponRemoval.Outcome.valueOf((String) reply.get(0));
        return new CouponRemoval(outcome,
                outcome == CouponRemoval.Outcome.PENDING ? Long.parseLong((String) reply.get(1)) : 0);
    }

    public Optional<CouponView> coupon(long couponId) {
        Map<String, String> hash = redisson.<String, String>getMap(CouponKeys.of(couponId).coupon(),
                StringCodec.INSTANCE).readAllMap();
        if (hash.isEmpty() || hash.get(CouponField.state.field()) == null) {
            return Optional.empty();
        }
        return Optional.of(new CouponView(couponId,
                hash.getOrDefault(CouponField.name.field(), ""),
                CouponState.valueOf(hash.get(CouponField.state.field())),
                Instant.ofEpochMilli(Long.parseLong(hash.get(CouponField.startsAt.field()))),
                Instant.ofEpochMilli(Long.parseLong(hash.get(CouponField.endsAt.field()))),
                Integer.parseInt(hash.get(CouponField.total.field())),
                Integer.parseInt(hash.get(CouponField.remaining.field()))));
    }

    public Optional<RequestView> request(RequestId requestId) {
        Map<String, String> hash = redisson.<String, String>getMap(CouponKeys.of(requestId).request(requestId),
                StringCodec.INSTANCE).readAllMap();
        String status = hash.get(RequestField.STATUS.field());
        String userId = hash.get(RequestField.USER_ID.field());
        if (status == null || userId == null) {
            return Optional.empty();
        }
        return Optional.of(new RequestView(requestId, Long.parseLong(userId), IssueStatus.valueOf(status),
                emptyToNull(hash.get(RequestField.REASON.field())),
                epochMillis(hash.get(RequestField.REQUESTED_AT.field())),
                epochMillis(hash.get(RequestField.ISSUED_AT.field())),
                emptyToNull(hash.get(RequestField.EMAIL.field())),
                emptyToNull(hash.get(RequestField.USERNAME.field()))));
    }

    /** Ids of requests of a coupon accepted before {@code cutoff} and still pending, oldest first. */
    public List<RequestId> pendingSince(long couponId, Instant cutoff, int limit) {
        Collection<String> ids = redisson.<String>getScoredSortedSet(CouponKeys.of(couponId).pending(),
                StringCodec.INSTANCE).valueRange(Double.NEGATIVE_INFINITY, true, cutoff.toEpochMilli(), true, 0, limit);
        List<RequestId> requestIds = new ArrayList<>(ids.size());
        for (String id : ids) {
            RequestId parsed = RequestId.tryParse(id);
            if (parsed != null) {
                requestIds.add(parsed);
            }
        }
        return requestIds;
    }

    /** Forgets a pending request that can no longer be re-sent (its hash expired); true when it was pending. */
    public boolean dropPending(RequestId requestId) {
        return redisson.getScoredSortedSet(CouponKeys.of(requestId).pending(), StringCodec.INSTANCE)
                .remove(requestId.toString());
    }

    /** Whether Redis holds the state of every live coupon (see {@link CouponKeys#STATE_LOADED}). */
    public boolean stateLoaded() {
        return redisson.getBucket(CouponKeys.STATE_LOADED, StringCodec.INSTANCE).isExists();
    }

    /**
     * Starts a round that will restore every live coupon; pass the token to
     * {@link #markStateLoaded(String, Instant)} when the round is complete.
     */
    public String startStateRound() {
        String token = UUID.randomUUID().toString();
        redisson.getBucket(CouponKeys.STATE_ROUND, StringCodec.INSTANCE).set(token);
        return token;
    }

    /**
     * Marks Redis as holding the state of every live coupon, unless it lost the round's token
     * meanwhile (restarted empty during the round).
     *
     * @return whether it was marked
     */
    public boolean markStateLoaded(String roundToken, Instant at) {
        Long marked = script.eval(Mode.READ_WRITE, CouponScript.STATE_MARK_LOADED.source(), ReturnType.LONG,
                List.of(CouponKeys.STATE_ROUND, CouponKeys.STATE_LOADED), roundToken, at.toString());
        return marked != null && marked == 1L;
    }

    /** How many requests of a coupon are still pending. */
    public int pendingCount(long couponId) {
        return redisson.getScoredSortedSet(CouponKeys.of(couponId).pending(), StringCodec.INSTANCE).size();
    }

    private static Object[] snapshotArgs(CouponSnapshot coupon) {
        return new Object[] {coupon.name(), coupon.state().name(),
                Long.toString(coupon.issueStartsAt().toEpochMilli()),
                Long.toString(coupon.issueEndsAt().toEpochMilli()),
                Integer.toString(coupon.totalQuantity()), Integer.toString(coupon.remainingQuantity())};
    }

    private static String nullToEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }

    private static @Nullable String emptyToNull(@Nullable String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static @Nullable Instant epochMillis(@Nullable String value) {
        return value == null || value.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(value));
    }
}
