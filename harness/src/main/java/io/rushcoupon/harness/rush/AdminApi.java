package io.rushcoupon.harness.rush;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

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
}
