package io.rushcoupon.harness.rush;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.LongFunction;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A winner's calls to the wallet service's real API ({@code /api/v1/me/…}), with real tokens. */
public final class WalletApi {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A wallet answer as a client sees it: {@code status} 0 when none came (then {@code code} names
     * the exception); the problem's {@code code}; the body when it is JSON.
     */
    public record Reply(int status, @Nullable String code, @Nullable JsonNode body) {

        public boolean succeeded() {
            return status >= 200 && status < 300;
        }

        /** A field of the body as text; null when absent. */
        public @Nullable String text(String field) {
            JsonNode node = body == null ? null : body.get(field);
            return node == null || node.isNull() ? null : node.asString();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<Long, String> tokens = new ConcurrentHashMap<>();
    private final String baseUrl;
    private final LongFunction<String> mint;

    /**
     * @param baseUrl the wallet service, or nginx in front of it
     * @param mint    a bearer token for a user id
     */
    public WalletApi(String baseUrl, LongFunction<String> mint) {
        this.baseUrl = baseUrl;
        this.mint = mint;
    }

    /** {@code GET /api/v1/me/coupons}: the user's coupons, newest first, at most {@code size}; status may be null. */
    public Reply coupons(long userId, @Nullable String status, int size) throws InterruptedException {
        String query = "?size=" + size + (status == null ? "" : "&status=" + status);
        return send(userId, request("/api/v1/me/coupons" + query).GET());
    }

    /** The issuance id of the user's unit of {@code couponId}, from the wallet's listing; null when it is not there. */
    public @Nullable Long issuanceOf(long userId, long couponId) throws InterruptedException {
        Reply reply = coupons(userId, null, 100);
        if (!reply.succeeded() || reply.body() == null) {
            return null;
        }
        for (JsonNode item : reply.body().get("content")) {
            if (item.get("couponId").asLong() == couponId) {
                return item.get("issuanceId").asLong();
            }
        }
        return null;
    }

    /** {@code POST /api/v1/me/coupons/{issuanceId}/redemptions} with {@code Idempotency-Key: key}. */
    public Reply redeem(long userId, long issuanceId, String key, String orderId, BigDecimal orderAmount)
            throws InterruptedException {
        String body = json.writeValueAsString(Map.of("orderId", orderId, "orderAmount", orderAmount));
        return send(userId, request("/api/v1/me/coupons/" + issuanceId + "/redemptions")
                .header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** {@code POST /api/v1/me/redemptions/{redemptionId}/cancellation}. */
    public Reply cancel(long userId, long redemptionId) throws InterruptedException {
        return send(userId, request("/api/v1/me/redemptions/" + redemptionId + "/cancellation")
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code GET /api/v1/me/coupon-stats}. */
    public Reply stats(long userId) throws InterruptedException {
        return send(userId, request("/api/v1/me/coupon-stats").GET());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(CALL_TIMEOUT);
    }

    private Reply send(long userId, HttpRequest.Builder request) throws InterruptedException {
        request.header("Authorization", "Bearer " + tokens.computeIfAbsent(userId, mint::apply));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            try {
                body = response.body().isBlank() ? null : json.readTree(response.body());
            } catch (RuntimeException notJson) {
                // an answer from something other than the service (a proxy's page): status only
            }
            JsonNode code = body == null || response.statusCode() < 400 ? null : body.get("code");
            return new Reply(response.statusCode(), code == null || code.isNull() ? null : code.asString(), body);
        } catch (IOException e) {
            return new Reply(0, e.getClass().getSimpleName(), null);
        }
    }
}
