package io.rushcoupon.admin.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.jayway.jsonpath.JsonPath;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.testsupport.RedisSnapshot;
import io.rushcoupon.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The corpus in {@code hostile/admin-corpus.json}: malformed and truncated JSON, wrong content
 * types, oversized bodies, hostile ids and query parameters, injection fragments, control
 * characters and long unicode, absurd dates and quantities, unknown enum values, stale and odd
 * {@code If-Match}. Each must be answered with a 4xx problem detail with a stable code and leave
 * every row and every Redis key as it was.
 */
class AdminHostileInputIntegrationTest extends AdminIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    private static final Instant END = START.plus(Duration.ofDays(1));

    private long seededId;
    private String seededETag;

    record HostileRequest(String name, JsonNode spec) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<HostileRequest> corpus() {
        try (InputStream in = AdminHostileInputIntegrationTest.class.getResourceAsStream("/hostile/admin-corpus.json")) {
            return JSON.readTree(in).get("cases").valueStream()
                    .map(node -> new HostileRequest(node.get("name").asString(), node)).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A coupon with 3 units, 2 of them issued by the worker; version 2 after the issues. */
    @BeforeEach
    void seedACouponWithIssuances() throws Exception {
        seededId = createCoupon("SEEDED", 3, START, END);
        issue(seededId, 5, seededId + "-00000000-0000-0000-0000-000000000005", START.plusSeconds(60));
        issue(seededId, 6, seededId + "-00000000-0000-0000-0000-000000000006", START.plusSeconds(61));
        seededETag = "\"" + version(seededId) + "\"";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void answersAProblemWithAStableCodeAndChangesNothing(HostileRequest hostile) throws Exception {
        JsonNode spec = hostile.spec();
        DatabaseAndRedis before = snapshot();

        MockHttpServletResponse response = mvc.perform(build(spec)).andReturn().getResponse();

        String body = response.getContentAsString(StandardCharsets.UTF_8);
        String answer = response.getStatus() + " " + body;
        assertThat(response.getStatus()).as(answer).isEqualTo(spec.get("status").asInt());
        assertThat(response.getContentType()).as(answer).startsWith("application/problem+json");
        assertThat(JsonPath.<String>read(body, "$.code")).as(answer).isEqualTo(spec.get("code").asString());
        assertThat(body).doesNotContain("Exception", "\tat ", "org.hibernate", "org.postgresql", "SQL");
        assertThat(snapshot()).as("rows and keys after " + hostile.name()).isEqualTo(before);
    }

    @Test
    void letsExactlyOneOfManyConcurrentEditsWithTheSameIfMatchWin() throws Exception {
        int editors = 6;
        CyclicBarrier start = new CyclicBarrier(editors);
        List<Future<MockHttpServletResponse>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(editors)) {
            for (int editor = 0; editor < editors; editor++) {
                String name = "Editor " + editor;
                Callable<MockHttpServletResponse> edit = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return mvc.perform(json(patch(COUPONS + "/" + seededId), "{\"name\":\"" + name + "\"}")
                            .header(HttpHeaders.IF_MATCH, seededETag)).andReturn().getResponse();
                };
                answers.add(pool.submit(edit));
            }
        }
        List<Integer> statuses = new ArrayList<>();
        String winner = null;
        for (Future<MockHttpServletResponse> answer : answers) {
            MockHttpServletResponse response = answer.get(30, TimeUnit.SECONDS);
            statuses.add(response.getStatus());
            if (response.getStatus() == 200) {
                winner = JsonPath.read(response.getContentAsString(), "$.name");
            } else {
                assertThat(JsonPath.<String>read(response.getContentAsString(), "$.code")).isEqualTo("VERSION_MISMATCH");
            }
        }

        assertThat(statuses).containsOnlyOnce(200).containsOnly(200, 412);
        assertThat(jdbc.sql("SELECT name FROM coupon WHERE id = ?").param(seededId).query(String.class).single())
                .isEqualTo(winner);
        assertThat(couponRedis.coupon(seededId).orElseThrow().name()).isEqualTo(winner);
    }

    @Test
    void keepsEmojiInNamesWhileRefusingUnpairedSurrogates() throws Exception {
        String body = couponJson("EMOJI").replace("\"Coupon EMOJI\"", "\"Party \uD83C\uDF89 drop\"");

        long id = createCoupon(body);

        assertThat(jdbc.sql("SELECT name FROM coupon WHERE id = ?").param(id).query(String.class).single())
                .isEqualTo("Party \uD83C\uDF89 drop");
    }

    /**
     * 59 999 visible characters and a tab: the old name pattern tried every way to split them
     * before failing (tens of seconds of CPU). The timeout is generous on purpose, only so that
     * such a regression fails instead of hanging the build; it measures nothing.
     */
    @Test
    void refusesASixtyThousandCharacterNameAsInvalid() throws Exception {
        String name = "a".repeat(59_999) + "\t";
        ObjectNode coupon = validCoupon();
        coupon.put("name", name);
        ObjectNode rename = JSON.createObjectNode();
        rename.put("name", name);

        for (MockHttpServletRequestBuilder request : List.of(
                json(post(COUPONS), fill(JSON.writeValueAsString(coupon))),
                json(patch(COUPONS + "/" + seededId), JSON.writeValueAsString(rename))
                        .header(HttpHeaders.IF_MATCH, seededETag))) {
            MockHttpServletResponse response = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> mvc.perform(request).andReturn().getResponse());

            String body = response.getContentAsString(StandardCharsets.UTF_8);
            assertThat(response.getStatus()).as(body).isEqualTo(400);
            assertThat(JsonPath.<String>read(body, "$.code")).isEqualTo("VALIDATION_FAILED");
            assertThat(JsonPath.<List<String>>read(body, "$.errors[*].field")).containsOnly("name");
        }
        assertThat(count("coupon")).isEqualTo(1);
    }

    private MockHttpServletRequestBuilder build(JsonNode spec) {
        String path = fill(spec.get("path").asString());
        MockHttpServletRequestBuilder request = request(HttpMethod.valueOf(spec.get("method").asString()),
                URI.create(path));
        String token = switch (spec.has("token") ? spec.get("token").asString() : "admin") {
            case "admin" -> TestTokens.admin();
            case "user" -> TestTokens.user(42);
            case "none" -> null;
            default -> throw new IllegalArgumentException(spec.get("token").asString());
        };
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        if (spec.has("contentType") && !spec.get("contentType").asString().isEmpty()) {
            request.contentType(spec.get("contentType").asString());
        }
        if (spec.has("ifMatch")) {
            request.header(HttpHeaders.IF_MATCH, fill(spec.get("ifMatch").asString()));
        }
        String body = body(spec);
        if (body != null) {
            request.content(body.getBytes(StandardCharsets.UTF_8));
        }
        return request;
    }

    private @Nullable String body(JsonNode spec) {
        String text;
        if (spec.has("body")) {
            text = spec.get("body").asString();
        } else if (spec.has("coupon")) {
            ObjectNode coupon = validCoupon();
            spec.get("coupon").properties().forEach(field -> coupon.set(field.getKey(), field.getValue()));
            text = JSON.writeValueAsString(coupon);
        } else if (spec.has("patch")) {
            text = JSON.writeValueAsString(spec.get("patch"));
        } else {
            return null;
        }
        String filled = fill(text);
        if (spec.has("repeat")) {
            filled = filled.replace("{repeat}", spec.get("repeat").get("text").asString()
                    .repeat(spec.get("repeat").get("times").asInt()));
        }
        return filled;
    }

    private static ObjectNode validCoupon() {
        ObjectNode coupon = JSON.createObjectNode();
        coupon.put("code", "HOSTILE-NEW");
        coupon.put("name", "Hostile drop");
        coupon.put("type", "FIXED_AMOUNT");
        coupon.put("discountValue", 5.5);
        coupon.put("totalQuantity", 100);
        coupon.put("issueStartsAt", "{start}");
        coupon.put("issueEndsAt", "{end}");
        coupon.put("validDays", 30);
        return coupon;
    }

    private String fill(String text) {
        return text.replace("{id}", Long.toString(seededId))
                .replace("{etag}", seededETag)
                .replace("{start-1d}", START.minus(Duration.ofDays(1)).toString())
                .replace("{start}", START.toString())
                .replace("{end+1d}", END.plus(Duration.ofDays(1)).toString())
                .replace("{end}", END.toString());
    }

    /** Every row of the tables the admin writes, and every Redis key with its value. */
    record DatabaseAndRedis(List<Map<String, Object>> coupons, List<Map<String, Object>> issuances,
            List<Map<String, Object>> users, Map<String, String> redis) {
    }

    private DatabaseAndRedis snapshot() {
        return new DatabaseAndRedis(
                jdbc.sql("SELECT * FROM coupon ORDER BY id").query().listOfRows(),
                jdbc.sql("SELECT * FROM coupon_issuance ORDER BY id").query().listOfRows(),
                jdbc.sql("SELECT * FROM app_user ORDER BY id").query().listOfRows(),
                RedisSnapshot.of(redisson));
    }
}
