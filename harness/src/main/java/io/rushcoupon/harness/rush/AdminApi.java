package io.rushcoupon.harness.rush;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.io.IOException;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The admin calls a rush needs, through the admin service's real API. */
public final class AdminApi {

    private final JsonMapper json = JsonMapper.builder().build();
    private final String adminUrl;
    private final String adminToken;

    public AdminApi(String adminUrl, String adminToken) {
        this.adminUrl = adminUrl;
        this.adminToken = adminToken;
    }

    /** Creates a coupon open from a minute ago for an hour; returns its id. */
    public long openCoupon(String code, int units) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String body = json.writeValueAsString(Map.of("code", code, "name", "Rush " + code,
                "type", "FIXED_AMOUNT", "discountValue", 1000, "totalQuantity", units,
                "issueStartsAt", now.minusSeconds(60).toString(), "issueEndsAt", now.plusSeconds(3600).toString(),
                "validDays", 30));
        HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl + "/api/v1/admin/coupons"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("the admin service refused coupon " + code + ": "
                        + response.statusCode() + " " + response.body());
            }
            return json.readTree(response.body()).get("id").asLong();
        }
    }

    /**
     * An admin answer as a client sees it: {@code status} 0 when none came (then {@code code} names
     * the exception); the problem's {@code code}; the body when it is JSON; the ETag.
     */
    public record Reply(int status, @Nullable String code, @Nullable String retryAfter, @Nullable JsonNode body,
            @Nullable String etag) {

        public boolean succeeded() {
            return status >= 200 && status < 300;
        }
    }

    /** {@code GET …/coupons/{id}}: the coupon and its ETag. */
    public Reply coupon(long couponId) throws InterruptedException {
        return send(request("/" + couponId).GET());
    }

    /** {@code PATCH …/coupons/{id}} with {@code If-Match: etag}: only the given fields change. */
    public Reply update(long couponId, String etag, Map<String, Object> fields) throws InterruptedException {
        return send(request("/" + couponId).header("If-Match", etag).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(fields))));
    }

    /** {@code POST …/coupons/{id}/{action}}: pause, resume, close or reconcile. */
    public Reply act(long couponId, String action) throws InterruptedException {
        return send(request("/" + couponId + "/" + action).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(adminUrl + "/api/v1/admin/coupons" + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken);
    }

    private Reply send(HttpRequest.Builder request) throws InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            try {
                body = response.body().isBlank() ? null : json.readTree(response.body());
            } catch (RuntimeException notJson) {
                // an answer from something other than the service: status only
            }
            // a problem's code; a coupon's body has a "code" too, its coupon code
            JsonNode code = body == null || response.statusCode() < 400 ? null : body.get("code");
            return new Reply(response.statusCode(), code == null || code.isNull() ? null : code.asString(),
                    response.headers().firstValue("Retry-After").orElse(null), body,
                    response.headers().firstValue("ETag").orElse(null));
        } catch (IOException e) {
            return new Reply(0, e.getClass().getSimpleName(), null, null, null);
        }
    }
}
