package io.rushcoupon.gateway.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.gateway.support.GatewayClient;
import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.IssueRequestedTopic;
import io.rushcoupon.gateway.support.TestCoupons;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import io.rushcoupon.testsupport.TestTokens;
import tools.jackson.databind.json.JsonMapper;

/** A drop at the gateway: many users, each clicking twice at once, far fewer units than users. */
class IssueRequestConcurrencyIntegrationTest extends GatewayIntegrationTest {

    private static final int UNITS = 100;
    private static final int USERS = 300;
    private static final int CLICKS_PER_USER = 2;
    private static final int CLIENT_THREADS = 48;

    @Test
    void admitsExactlyTheStockAndEachUserAtMostOnce() throws Exception {
        long couponId = TestCoupons.newId();
        couponRedis.publish(TestCoupons.open(couponId, UNITS));
        GatewayClient gateway = new GatewayClient(port);
        List<String> tokens = new ArrayList<>();
        for (long user = 1; user <= USERS; user++) {
            tokens.add(TestTokens.user(user));
        }
        record Click(long userId, Reply reply) {
        }

        List<Future<Click>> clicks = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS)) {
            // both clicks of a user are queued next to each other, so they usually race
            for (int user = 1; user <= USERS; user++) {
                long userId = user;
                String token = tokens.get(user - 1);
                for (int click = 0; click < CLICKS_PER_USER; click++) {
                    clicks.add(clients.submit(() -> new Click(userId, gateway.requestCoupon(couponId, token))));
                }
            }
        }

        List<Click> answers = new ArrayList<>();
        for (Future<Click> click : clicks) {
            answers.add(click.get());
        }
        List<Click> accepted = answers.stream().filter(click -> click.reply().status() == 202).toList();
        Map<String, Long> refusals = answers.stream().filter(click -> click.reply().status() != 202)
                .collect(Collectors.groupingBy(click -> click.reply().status() + " " + click.reply().code(),
                        Collectors.counting()));

        assertThat(accepted).as("refusals: %s", refusals).hasSize(UNITS);
        assertThat(accepted.stream().map(Click::userId).distinct().count()).as("one 202 per user at most")
                .isEqualTo(UNITS);
        assertThat(refusals.keySet()).as("every other answer").isSubsetOf(
                "409 DUPLICATE_REQUEST", "410 SOLD_OUT", "429 BUSY");
        assertThat(couponRedis.coupon(couponId).orElseThrow().remaining()).isZero();
        Map<String, String> users = redisson.<String, String>getMap(CouponKeys.of(couponId).users(),
                StringCodec.INSTANCE).readAllMap();
        assertThat(users).hasSize(UNITS);
        Set<String> acceptedIds = accepted.stream().map(click -> click.reply().text("requestId"))
                .collect(Collectors.toSet());
        assertThat(new HashSet<>(users.values())).isEqualTo(acceptedIds);
        assertThat(couponRedis.pendingCount(couponId)).isEqualTo(UNITS);

        // each accepted request is on the topic exactly once, keyed by the coupon
        await().atMost(Duration.ofSeconds(10)).until(() -> IssueRequestedTopic.recordsOf(couponId).size() >= UNITS);
        JsonMapper json = JsonMapper.builder().build();
        List<String> sentIds = IssueRequestedTopic.recordsOf(couponId).stream()
                .map(ConsumerRecord::value)
                .map(value -> json.readTree(value).get("requestId").asString())
                .toList();
        assertThat(sentIds).hasSize(UNITS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(sentIds)).isEqualTo(acceptedIds);
        assertThat(answers.stream().collect(Collectors.groupingBy(Click::userId, Collectors.counting())))
                .hasSize(USERS).allSatisfy((user, count) -> assertThat(count).isEqualTo(CLICKS_PER_USER));
    }
}
