package io.rushcoupon.localstack.demo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.rushcoupon.harness.rush.WalletApi;
import io.rushcoupon.harness.rush.WalletApi.Reply;

/**
 * After the rush, what some winners do with their coupon in the wallet, each role checked as it
 * happens and the whole against PostgreSQL at the end:
 * <ul>
 *   <li>redeem it once against an order;</li>
 *   <li>redeem it from two devices at once: exactly one 201, the other 409 COUPON_ALREADY_REDEEMED;</li>
 *   <li>redeem it, then send the same request again (a retry with the same Idempotency-Key): the
 *       same answer, nothing redeemed twice;</li>
 *   <li>redeem it, then cancel the redemption: the coupon is AVAILABLE again.</li>
 * </ul>
 */
final class WalletTour {

    /** What the tour did and found; {@code violations} empty when every check held. */
    record Figures(int winners, int listed, int redeemed, int doubleTaps, int replays, int cancelled,
            BigDecimal discount, List<String> violations) {
    }

    private static final BigDecimal ORDER_AMOUNT = new BigDecimal("25000.00");
    private static final int CONCURRENCY = 32;

    private final WalletApi wallet;
    private final JdbcClient db;

    WalletTour(WalletApi wallet, JdbcClient db) {
        this.wallet = wallet;
        this.db = db;
    }

    Figures run(long couponId, List<Long> winners) throws Exception {
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger listed = new AtomicInteger();
        AtomicInteger redeemed = new AtomicInteger();
        AtomicInteger doubleTaps = new AtomicInteger();
        AtomicInteger replays = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        Semaphore permits = new Semaphore(CONCURRENCY);
        List<Future<?>> visits = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < winners.size(); i++) {
                long user = winners.get(i);
                int role = i % 4;
                visits.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        Long issuance = wallet.issuanceOf(user, couponId);
                        if (issuance == null) {
                            violations.add("user " + user + " was issued coupon " + couponId + " but the wallet does not list it");
                            return null;
                        }
                        listed.incrementAndGet();
                        String order = "demo-order-" + user;
                        switch (role) {
                            case 0 -> expectRedeemed(user, wallet.redeem(user, issuance, key(user, "a"), order, ORDER_AMOUNT),
                                    violations, redeemed);
                            case 1 -> doubleTap(user, issuance, order, violations, redeemed, doubleTaps);
                            case 2 -> replay(user, issuance, order, violations, redeemed, replays);
                            default -> redeemAndCancel(user, issuance, order, violations, redeemed, cancelled);
                        }
                        return null;
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        for (Future<?> visit : visits) {
            visit.get();
        }
        long standing = db.sql("SELECT count(*) FROM coupon_redemption WHERE coupon_id = ? AND status = 'REDEEMED'")
                .param(couponId).query(Long.class).single();
        long expectedStanding = redeemed.get() - cancelled.get();
        if (standing != expectedStanding) {
            violations.add(standing + " redemptions stand in PostgreSQL, " + expectedStanding + " expected");
        }
        BigDecimal discount = db.sql("""
                SELECT coalesce(sum(discount), 0) FROM coupon_redemption WHERE coupon_id = ? AND status = 'REDEEMED'""")
                .param(couponId).query(BigDecimal.class).single();
        return new Figures(winners.size(), listed.get(), redeemed.get(), doubleTaps.get(), replays.get(),
                cancelled.get(), discount, List.copyOf(violations));
    }

    private static String key(long user, String which) {
        return "demo-" + user + "-" + which;
    }

    private static boolean expectRedeemed(long user, Reply reply, List<String> violations, AtomicInteger redeemed) {
        if (reply.status() != 201) {
            violations.add("user " + user + "'s redemption answered " + reply.status() + " " + reply.code());
            return false;
        }
        redeemed.incrementAndGet();
        return true;
    }

    /** Two devices of one user redeem the same coupon at once, each with its own key. */
    private void doubleTap(long user, long issuance, String order, List<String> violations, AtomicInteger redeemed,
            AtomicInteger doubleTaps) throws Exception {
        CompletableFuture<Reply> phone = async(() -> wallet.redeem(user, issuance, key(user, "phone"), order, ORDER_AMOUNT));
        CompletableFuture<Reply> laptop = async(() -> wallet.redeem(user, issuance, key(user, "laptop"), order, ORDER_AMOUNT));
        List<Reply> replies = List.of(phone.get(), laptop.get());
        long created = replies.stream().filter(reply -> reply.status() == 201).count();
        long refused = replies.stream().filter(reply -> "COUPON_ALREADY_REDEEMED".equals(reply.code())).count();
        if (created != 1 || refused != 1) {
            violations.add("user " + user + "'s two devices got " + replies.stream()
                    .map(reply -> reply.status() + " " + reply.code()).toList() + ", not one 201 and one 409");
            return;
        }
        redeemed.incrementAndGet();
        doubleTaps.incrementAndGet();
    }

    /** A redemption sent again with the same key and body: the first answer again. */
    private void replay(long user, long issuance, String order, List<String> violations, AtomicInteger redeemed,
            AtomicInteger replays) throws InterruptedException {
        Reply first = wallet.redeem(user, issuance, key(user, "retry"), order, ORDER_AMOUNT);
        if (!expectRedeemed(user, first, violations, redeemed)) {
            return;
        }
        Reply again = wallet.redeem(user, issuance, key(user, "retry"), order, ORDER_AMOUNT);
        if (again.status() != first.status() || !Objects.equals(again.body(), first.body())) {
            violations.add("user " + user + "'s replayed redemption answered " + again.status() + " " + again.body()
                    + ", not the first answer " + first.body());
            return;
        }
        replays.incrementAndGet();
    }

    /** A redemption, then its cancellation: the coupon can be used again. */
    private void redeemAndCancel(long user, long issuance, String order, List<String> violations,
            AtomicInteger redeemed, AtomicInteger cancelled) throws InterruptedException {
        Reply redemption = wallet.redeem(user, issuance, key(user, "to-cancel"), order, ORDER_AMOUNT);
        if (!expectRedeemed(user, redemption, violations, redeemed)) {
            return;
        }
        Reply cancellation = wallet.cancel(user, Long.parseLong(Objects.requireNonNull(redemption.text("redemptionId"))));
        if (cancellation.status() != 200 || !"AVAILABLE".equals(cancellation.text("couponStatus"))) {
            violations.add("user " + user + "'s cancellation answered " + cancellation.status() + " " + cancellation.body());
            return;
        }
        cancelled.incrementAndGet();
    }

    private interface Call {
        Reply send() throws InterruptedException;
    }

    private static CompletableFuture<Reply> async(Call call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.send();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, command -> Thread.ofVirtual().start(command));
    }
}
