package io.rushcoupon.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rushcoupon.gateway.support.GatewayClient.Reply;
import io.rushcoupon.gateway.support.GatewayIntegrationTest;
import tools.jackson.databind.JsonNode;

/** The gateway's /v3/api-docs documents the user API as README.md's tables state it. */
class OpenApiIntegrationTest extends GatewayIntegrationTest {

    private static final String ISSUE = "/api/v1/coupons/{couponId}/issue-requests";
    private static final String STATUS = "/api/v1/issue-requests/{requestId}";
    private static final String COUPON = "/api/v1/coupons/{couponId}";

    @Test
    void documentsTheBearerSchemeOnTheUserEndpointsOnly() {
        JsonNode docs = docs();

        JsonNode bearer = docs.at("/components/securitySchemes/bearer");
        assertThat(bearer.path("type").asString()).isEqualTo("http");
        assertThat(bearer.path("scheme").asString()).isEqualTo("bearer");
        assertThat(bearer.path("bearerFormat").asString()).isEqualTo("JWT");
        assertThat(operation(docs, ISSUE, "post").at("/security/0").has("bearer")).isTrue();
        assertThat(operation(docs, STATUS, "get").at("/security/0").has("bearer")).isTrue();
        // reading a coupon needs no token, and nothing requires one document-wide
        assertThat(operation(docs, COUPON, "get").has("security")).isFalse();
        assertThat(docs.has("security")).isFalse();
    }

    @Test
    void documentsTheIssueAnswerWithItsBodyAndLocation() {
        JsonNode accepted = operation(docs(), ISSUE, "post").at("/responses/202");

        assertThat(accepted.at("/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/IssueRequestAccepted");
        assertThat(accepted.at("/headers/Location").isMissingNode()).isFalse();
        assertThat(operation(docs(), ISSUE, "post").at("/responses/200").isMissingNode()).isTrue();
    }

    @Test
    void documentsEveryErrorOfTheIssueEndpointAsAProblemWithItsCode() {
        assertErrors(operation(docs(), ISSUE, "post"), Map.of(
                "404", List.of("COUPON_NOT_FOUND"),
                "409", List.of("ISSUANCE_NOT_STARTED", "ISSUANCE_ENDED", "COUPON_PAUSED", "DUPLICATE_REQUEST"),
                "410", List.of("SOLD_OUT"),
                "429", List.of("BUSY", "RATE_LIMITED"),
                "503", List.of("UNAVAILABLE", "OVERLOADED"),
                "401", List.of("UNAUTHORIZED"),
                "400", List.of("VALIDATION_FAILED"),
                "413", List.of("PAYLOAD_TOO_LARGE")));
    }

    @Test
    void documentsTheStatusEndpointsAnswers() {
        JsonNode status = operation(docs(), STATUS, "get");

        assertThat(status.at("/responses/200/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/IssueRequestStatus");
        assertErrors(status, Map.of("404", List.of("REQUEST_NOT_FOUND"), "503", List.of("UNAVAILABLE"),
                "401", List.of("UNAUTHORIZED")));
    }

    private JsonNode docs() {
        Reply reply = gateway.get("/v3/api-docs", null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static JsonNode operation(JsonNode docs, String path, String method) {
        JsonNode operation = docs.path("paths").path(path).path(method);
        assertThat(operation.isMissingNode()).as(method + " " + path).isFalse();
        return operation;
    }

    private static void assertErrors(JsonNode operation, Map<String, List<String>> codesByStatus) {
        codesByStatus.forEach((status, codes) -> {
            JsonNode problem = operation.path("responses").path(status).path("content").path("application/problem+json");
            assertThat(problem.isMissingNode()).as(status + " as application/problem+json").isFalse();
            assertThat(problem.at("/schema/$ref").asString()).isEqualTo("#/components/schemas/Problem");
            for (String code : codes) {
                assertThat(problem.at("/examples/" + code + "/value/code").asString()).as(status + " " + code).isEqualTo(code);
            }
            boolean retryLater = status.equals("429") || status.equals("503");
            assertThat(operation.at("/responses/" + status + "/headers/Retry-After").isMissingNode())
                    .as(status + " Retry-After").isEqualTo(!retryLater);
        });
    }
}
