package io.rushcoupon.system.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.rushcoupon.harness.process.ServiceProcess;
import io.rushcoupon.harness.rush.RushClient;
import io.rushcoupon.harness.rush.RushClient.Answer;
import io.rushcoupon.harness.rush.RushClient.Attempt;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.system.SystemStack;
import io.rushcoupon.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The team's Discord notifications from the production jars: two workers, each running the
 * notification dispatcher against one outbox, post to a small HTTP server of this test's own that
 * stands in for Discord. A rush to sold-out is announced once (with its window's opening), every
 * message keeps within Discord's limits and pings nobody, and the webhook's token appears in no log.
 */
class DiscordNotificationIntegrationTest {

    /** Dispatcher look and reconciler round (window announcements), shorter than the defaults to keep the test short. */
    private static final Duration DISPATCH = Duration.ofMillis(500);
    private static final Duration ROUND = Duration.ofSeconds(1);
    /** Generous on a busy 2-core machine: forty rounds, a hundred dispatcher looks. */
    private static final Duration ANNOUNCED = ROUND.multipliedBy(40);
    private static final Duration DELIVERED = DISPATCH.multipliedBy(100);
    private static final Duration DRAIN = Duration.ofSeconds(90);
    private static final String TOKEN = "tok3n-" + UUID.randomUUID().toString().replace("-", "");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static final List<String> paths = new CopyOnWriteArrayList<>();
    private static HttpServer discord;
    private static Stack stack;

    @BeforeAll
    static void startDiscordAndTwoWorkers() throws Exception {
        discord = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        discord.createContext("/api/webhooks/", DiscordNotificationIntegrationTest::answer);
        discord.start();
        stack = SystemStack.builder("notify")
                .discordWebhookUrls("http://127.0.0.1:" + discord.getAddress().getPort() + "/api/webhooks/4242/" + TOKEN)
                .workerSettings(Map.of("RUSHCOUPON_WORKER_CONCURRENCY", "1",
                        "RUSHCOUPON_DISCORD_DISPATCHER_INTERVAL", DISPATCH.toMillis() + "ms",
                        "RUSHCOUPON_WORKER_RECONCILER_INTERVAL", ROUND.toMillis() + "ms"))
                .start();
        ServiceProcess second = stack.startExtraWorker();
        second.awaitReady(Duration.ofSeconds(150));
    }

    /** Discord's answer to a webhook post that it took: 204 No Content. */
    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (discord != null) {
            discord.stop(0);
        }
    }

    @Test
    void aRushToSoldOutIsAnnouncedOnceAcrossTwoWorkersWithinDiscordsLimitsAndNoLogHoldsTheToken() throws Exception {
        long coupon = stack.openCoupon("DISCORD-60", 60);
        // what a careless admin might type: markdown and a mass mention
        stack.db().sql("UPDATE coupon SET name = '@everyone **Flash** _sale_' WHERE id = ?").param(coupon).update();
        List<Attempt> attempts = new ArrayList<>();
        for (long user = 1; user <= 150; user++) {
            attempts.add(new Attempt(user, coupon));
        }
        RushClient client = new RushClient(stack.gateway().baseUrl(), TestTokens::user);

        List<Answer> answers = client.rush(attempts, 16);
        client.awaitFinal(answers.stream().filter(Answer::accepted).toList(), DRAIN);

        String soldOut = "soldout:" + coupon + ":60";
        String opened = "opened:" + coupon;
        await().atMost(ANNOUNCED.plus(DELIVERED)).until(() -> keys().contains(soldOut) && keys().contains(opened));
        // every recorded notification delivered: a second post of one could only come from another claim of it
        await().atMost(DELIVERED).until(() -> stack.db()
                .sql("SELECT count(*) FROM notification WHERE state <> 'SENT'").query(Long.class).single() == 0);
        System.out.println("Discord received " + keys());

        assertThat(keys()).filteredOn(soldOut::equals).hasSize(1);
        assertThat(keys()).filteredOn(opened::equals).hasSize(1);
        assertThat(keys()).doesNotHaveDuplicates();
        assertThat(paths).allMatch(path -> path.equals("POST /api/webhooks/4242/" + TOKEN));
        for (String message : received) {
            assertWithinDiscordsLimits(JSON.readTree(message));
        }
        assertThat(tokenInLogs()).as("log lines holding the webhook's token").isEmpty();
    }

    /** Discord's documented limits of a webhook message, and no mention may ping. */
    private static void assertWithinDiscordsLimits(JsonNode message) {
        assertThat(message.path("allowed_mentions").path("parse").isArray()).as(message.toString()).isTrue();
        assertThat(message.path("allowed_mentions").path("parse").size()).as(message.toString()).isZero();
        assertThat(message.path("content").asString("").length()).isLessThanOrEqualTo(2_000);
        JsonNode embeds = message.path("embeds");
        assertThat(embeds.size()).isBetween(1, 10);
        int characters = 0;
        for (JsonNode embed : embeds) {
            String title = embed.path("title").asString("");
            String description = embed.path("description").asString("");
            String footer = embed.path("footer").path("text").asString("");
            assertThat(title.length()).isLessThanOrEqualTo(256);
            assertThat(description.length()).isLessThanOrEqualTo(4_096);
            assertThat(footer.length()).isLessThanOrEqualTo(2_048);
            assertThat(embed.path("fields").size()).isLessThanOrEqualTo(25);
            characters += title.length() + description.length() + footer.length();
            for (JsonNode field : embed.path("fields")) {
                assertThat(field.path("name").asString("").length()).isBetween(1, 256);
                assertThat(field.path("value").asString("").length()).isBetween(1, 1_024);
                characters += field.path("name").asString("").length() + field.path("value").asString("").length();
            }
        }
        assertThat(characters).isLessThanOrEqualTo(6_000);
    }

    /** The dedupe key of each message received, from its footer ("RushCoupon · <key>"). */
    private static List<String> keys() {
        return received.stream().map(message -> {
            String footer = JSON.readTree(message).path("embeds").path(0).path("footer").path("text").asString("");
            return footer.substring(footer.lastIndexOf(' ') + 1);
        }).toList();
    }

    /** Every line of every log the stack wrote (services, broker) that holds the token. */
    private static List<String> tokenInLogs() throws IOException {
        List<String> hits = new ArrayList<>();
        Path logs = stack.worker().log().getParent();
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                    if (line.contains(TOKEN)) {
                        hits.add(file.getFileName() + ": " + line);
                    }
                }
            }
        }
        assertThat(logs.resolve("issuance-worker.log")).isRegularFile();
        assertThat(logs.resolve("issuance-worker-2.log")).isRegularFile();
        return hits;
    }
}
