package io.rushcoupon.system.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.rushcoupon.harness.process.ServiceProcess;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.system.SystemStack;
import io.rushcoupon.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wallet as {@code ./rushcoupon up --gateways N} runs it: wallet-service from its production
 * jar, nginx with the rules of infra/nginx in front, {@code /api/v1/me/} routed to the wallet. That
 * the wallet and not a gateway answered is read from the wallet's own request count.
 */
class WalletThroughNginxIntegrationTest {

    private static final String COUPONS = "/api/v1/me/coupons";
    private static final String SERVED = "http_server_requests_seconds_count";

    private static Stack stack;
    private static ServiceProcess wallet;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startStack() throws Exception {
        stack = SystemStack.builder("wallet").wallet(0).nginx(0).start();
        wallet = stack.wallet().orElseThrow();
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void walletIsReadyOnItsOwnPortAndTheWalletApiGoesThroughNginx() throws Exception {
        HttpResponse<String> readiness = get(wallet.baseUrl() + "/actuator/health/readiness", null);

        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        assertThat(json.readTree(readiness.body()).path("status").asString()).isEqualTo("UP");
        assertThat(stack.services()).contains(wallet);
        assertThat(stack.walletApiUrl()).isEqualTo(stack.nginx().orElseThrow().baseUrl());
    }

    @Test
    void nginxPassesOnTheWalletsUnauthorizedProblemForCouponsWithoutAToken() throws Exception {
        double before = unauthorizedByWallet();

        HttpResponse<String> response = get(stack.walletApiUrl() + COUPONS, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("code").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(response.headers().firstValue("X-Request-Id")).as("nginx's request id").isPresent();
        assertThat(unauthorizedByWallet()).as("401s the wallet itself answered").isGreaterThan(before);
    }

    /**
     * nginx passes the bearer token on and the wallet accepts the gateway's kind of user token:
     * the answer is the wallet's listing (200 once its coupon API is in), never 401 or a 5xx.
     */
    @Test
    void nginxPassesTheUsersTokenOnToTheWallet() throws Exception {
        HttpResponse<String> response = get(stack.walletApiUrl() + COUPONS, TestTokens.user(42));

        assertThat(response.statusCode()).as(response.body()).isNotEqualTo(401).isLessThan(500);
    }

    private double unauthorizedByWallet() {
        return stack.metric(wallet, SERVED, Map.of("status", "401"));
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
