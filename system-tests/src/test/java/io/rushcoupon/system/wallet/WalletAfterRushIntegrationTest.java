package io.rushcoupon.system.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.rushcoupon.harness.rush.RushClient;
import io.rushcoupon.harness.rush.RushClient.Answer;
import io.rushcoupon.harness.rush.RushClient.Attempt;
import io.rushcoupon.harness.rush.RushClient.Outcome;
import io.rushcoupon.harness.rush.WalletApi;
import io.rushcoupon.harness.rush.WalletApi.Reply;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.system.SystemStack;
import io.rushcoupon.testsupport.TestTokens;

/**
 * A coupon's life from the rush into the wallet, on the production jars: a winner sees the coupon
 * in the wallet the moment its request reads ISSUED, redeems it once, and the wallet goes on
 * answering from PostgreSQL while Redis is gone.
 */
// the Redis loss last: after it the gateway refuses until the reconciler has restored Redis
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalletAfterRushIntegrationTest {

    /** Far above what a final status needs on a busy machine (the worker commits within a second or two). */
    private static final Duration FINAL_WITHIN = Duration.ofSeconds(90);
    private static final BigDecimal ORDER = new BigDecimal("25000.00");

    private static Stack stack;
    private static RushClient rush;
    private static WalletApi wallet;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SystemStack.builder("wallet").ownRedis().wallet(0).start();
        rush = new RushClient(stack.gateway().baseUrl(), TestTokens::user);
        wallet = new WalletApi(stack.wallet().orElseThrow().baseUrl(), TestTokens::user);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void listsEachWinnersCouponAsSoonAsItsRequestReadsIssuedAndRedeemsItExactlyOnce() throws Exception {
        long coupon = stack.openCoupon("WALLET-RUSH", 40);
        List<Attempt> attempts = new ArrayList<>();
        for (long user = 5_001; user <= 5_100; user++) {
            attempts.add(new Attempt(user, coupon));
        }
        List<Answer> accepted = rush.rush(attempts, 16).stream().filter(Answer::accepted).toList();
        assertThat(accepted).hasSize(40);

        List<Long> winners = new ArrayList<>();
        for (Answer answer : accepted) {
            long user = answer.attempt().userId();
            Outcome outcome = awaitFinal(user, answer.requestId());
            assertThat(outcome.status()).isEqualTo("ISSUED");
            // the very next call after the poll that read ISSUED
            assertThat(wallet.issuanceOf(user, coupon)).as("user %d's coupon in the wallet", user).isNotNull();
            winners.add(user);
        }

        for (long user : winners) {
            long issuance = wallet.issuanceOf(user, coupon);
            Reply first = wallet.redeem(user, issuance, "first-" + user, "order-" + user, ORDER);
            Reply second = wallet.redeem(user, issuance, "second-" + user, "order-" + user, ORDER);
            assertThat(first.status()).as("first redemption of user %d: %s", user, first.body()).isEqualTo(201);
            // the coupon's FIXED_AMOUNT discount (Stack.openCoupon) is at most the order
            assertThat(new BigDecimal(first.text("discount")).add(new BigDecimal(first.text("payable"))))
                    .isEqualByComparingTo(ORDER);
            assertThat(second.status()).isEqualTo(409);
            assertThat(second.code()).isEqualTo("COUPON_ALREADY_REDEEMED");
        }
        assertThat(stack.db().sql("SELECT count(*) FROM coupon_redemption WHERE coupon_id = ? AND status = 'REDEEMED'")
                .param(coupon).query(Long.class).single()).isEqualTo(40);
    }

    @Test
    @Order(2)
    void answersFromPostgreSqlWhileRedisIsGone() throws Exception {
        long coupon = stack.openCoupon("WALLET-REDIS-LOSS", 6);
        List<Attempt> attempts = new ArrayList<>();
        for (long user = 6_001; user <= 6_006; user++) {
            attempts.add(new Attempt(user, coupon));
        }
        List<Answer> accepted = rush.rush(attempts, 6).stream().filter(Answer::accepted).toList();
        Map<String, Outcome> outcomes = rush.awaitFinal(accepted, FINAL_WITHIN);
        assertThat(outcomes.values()).hasSize(6).allMatch(outcome -> "ISSUED".equals(outcome.status()));
        long redeemedBefore = 6_001;
        long issuance = wallet.issuanceOf(redeemedBefore, coupon);
        assertThat(wallet.redeem(redeemedBefore, issuance, "before", "order-before", ORDER).status()).isEqualTo(201);

        stack.redis().kill();
        try {
            for (long user = 6_002; user <= 6_006; user++) {
                Long held = wallet.issuanceOf(user, coupon);
                assertThat(held).as("user %d's coupon listed with Redis down", user).isNotNull();
                assertThat(wallet.redeem(user, held, "during", "order-during-" + user, ORDER).status()).isEqualTo(201);
            }
            Reply stats = wallet.stats(redeemedBefore);
            assertThat(stats.status()).isEqualTo(200);
            assertThat(stats.body().get("redeemed").asLong()).isEqualTo(1);
        } finally {
            stack.redis().restartEmpty();
        }
    }

    private static Outcome awaitFinal(long user, String requestId) throws Exception {
        Instant deadline = Instant.now().plus(FINAL_WITHIN);
        Outcome outcome = rush.status(user, requestId);
        while ("PENDING".equals(outcome.status()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            outcome = rush.status(user, requestId);
        }
        return outcome;
    }
}
