package io.rushcoupon.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against the gateway under test: what a browser or nginx would send. */
public final class GatewayClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final String base;

    public GatewayClient(int port) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.base = "http://127.0.0.1:" + port;
    }

    /** POST /api/v1/coupons/{couponId}/issue-requests, no body. */
    public Reply requestCoupon(Object couponId, @Nullable String token) {
        return send(request("/api/v1/coupons/" + couponId + "/issue-requests", token)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The same POST with extra request headers (a proxy's {@code traceparent}, say). */
    public Reply requestCoupon(Object couponId, @Nullable String token, Map<String, String> headers) {
        HttpRequest.Builder builder = request("/api/v1/coupons/" + couponId + "/issue-requests", token);
        headers.forEach(builder::header);
        return send(builder.POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The same POST with a JSON body, which the gateway ignores. */
    public Reply requestCoupon(Object couponId, @Nullable String token, String jsonBody) {
        return send(request("/api/v1/coupons/" + couponId + "/issue-requests", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    /** Any request: method, path (with query), token, extra headers, body (none when null). */
    public Reply exchange(String method, String path, @Nullable String token, Map<String, String> headers,
            @Nullable String body) {
        HttpRequest.Builder builder = request(path, token);
        headers.forEach(builder::setHeader);
        return send(builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }

    public Reply get(String path, @Nullable String token) {
        return send(request(path, token).GET());
    }

    public Reply get(String path, @Nullable String token, String accept) {
        return send(request(path, token).setHeader("Accept", accept).GET());
    }

    private HttpRequest.Builder request(String path, @Nullable String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .setHeader("Accept", "application/json, application/problem+json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One answer: status, headers and the JSON body (problem details included). */
    public record Reply(HttpResponse<String> response) {

        public int status() {
            return response.statusCode();
        }

        public @Nullable String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public @Nullable String contentType() {
            return header("Content-Type");
        }

        public JsonNode json() {
            return JSON.readTree(response.body());
        }

        /** The problem detail's {@code code}, or {@code null} when the answer is not one. */
        public @Nullable String code() {
            if (response.body() == null || response.body().isBlank()) {
                return null;
            }
            JsonNode code = json().get("code");
            return code == null ? null : code.asString();
        }

        public String text(String field) {
            JsonNode value = json().get(field);
            return value == null || value.isNull() ? null : value.asString();
        }

        @Override
        public String toString() {
            return status() + " " + response.body();
        }
    }
}
