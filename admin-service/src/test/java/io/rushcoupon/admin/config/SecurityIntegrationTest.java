package io.rushcoupon.admin.config;

import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.testsupport.TestTokens;

class SecurityIntegrationTest extends AdminIntegrationTest {

    @Test
    void answersUnauthorizedProblemWithoutToken() throws Exception {
        mvc.perform(get(COUPONS))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, startsWith("Bearer")))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("UNAUTHORIZED"));
    }

    @Test
    void answersUnauthorizedForTokenSignedWithAnotherSecret() throws Exception {
        String forged = TestTokens.sign("another-secret-of-at-least-32-bytes-0123456789",
                claims -> claims.subject("1").claim("scope", TestTokens.ADMIN_SCOPE));
        mvc.perform(post(COUPONS).header(HttpHeaders.AUTHORIZATION, "Bearer " + forged))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.code").value("UNAUTHORIZED"));
    }

    @Test
    void answersUnauthorizedForExpiredToken() throws Exception {
        String expired = TestTokens.sign(TestTokens.SECRET, claims -> claims.subject("1")
                .claim("scope", TestTokens.ADMIN_SCOPE)
                .issueTime(Date.from(Instant.now().minus(Duration.ofHours(3))))
                .expirationTime(Date.from(Instant.now().minus(Duration.ofHours(2)))));
        mvc.perform(get(COUPONS + "/1").header(HttpHeaders.AUTHORIZATION, "Bearer " + expired))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.code").value("UNAUTHORIZED"));
    }

    @Test
    void answersForbiddenForUserTokenWithoutAdminScope() throws Exception {
        mvc.perform(delete(COUPONS + "/1").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.user(42)))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("FORBIDDEN"));
    }

    @Test
    void refusesEveryAdminEndpointWithoutToken() throws Exception {
        for (var request : new org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder[] {
                post(COUPONS), get(COUPONS + "/1"), post(COUPONS + "/1/pause"), post(COUPONS + "/1/resume"),
                post(COUPONS + "/1/close"), get(COUPONS + "/1/issuances"), get(COUPONS + "/1/stats"),
                post(COUPONS + "/1/reconcile"), delete(COUPONS + "/1")}) {
            mvc.perform(request).andExpect(status().isUnauthorized());
        }
    }

    @Test
    void leavesHealthProbesPublic() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk());
    }

    @Test
    void exposesNoActuatorEndpointBeyondProbesAndMetrics() throws Exception {
        for (String endpoint : new String[] {"/actuator/env", "/actuator/beans", "/actuator/info",
                "/actuator/configprops", "/actuator/loggers", "/actuator/heapdump", "/actuator/threaddump",
                "/actuator/mappings"}) {
            mvc.perform(get(endpoint)).andExpect(status().isUnauthorized());
            // not even an admin gets more: they are not exposed at all
            mvc.perform(asAdmin(get(endpoint))).andExpect(status().isNotFound());
        }
    }

    @Test
    void keepsLivenessFreeOfDatabaseAndRedisWhileReadinessWatchesThem() throws Exception {
        // the tests show components (see AdminIntegrationTest), so a leaked dependency would be listed
        mvc.perform(get("/actuator/health/liveness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.components.livenessState").exists())
                .andExpect(jsonPath("$.components.db").doesNotExist())
                .andExpect(jsonPath("$.components.redis").doesNotExist());
        mvc.perform(get("/actuator/health/readiness"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.readinessState").exists())
                .andExpect(jsonPath("$.components.db.status").value("UP"))
                .andExpect(jsonPath("$.components.redis.status").value("UP"));
    }

    @Test
    void keepsCrossOriginCallsClosedByDefault() throws Exception {
        mvc.perform(options(COUPONS).header(HttpHeaders.ORIGIN, "https://evil.test")
                        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type"))
                .andExpect(header().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN))
                .andExpect(header().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS));
        mvc.perform(asAdmin(get(COUPONS)).header(HttpHeaders.ORIGIN, "https://evil.test"))
                .andExpect(status().isOk())
                .andExpect(header().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
    }

    @Test
    void answersUnauthorizedForUnsignedAlgNoneAndNotYetValidTokens() throws Exception {
        java.util.Base64.Encoder base64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"sub\":\"1\",\"scope\":\"coupons:admin\",\"exp\":"
                + Instant.now().plus(Duration.ofHours(1)).getEpochSecond() + "}";
        String unsigned = base64.encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + base64.encodeToString(claims.getBytes()) + ".";
        String notYetValid = TestTokens.sign(TestTokens.SECRET, token -> token.subject("1")
                .claim("scope", TestTokens.ADMIN_SCOPE).notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(10)))));
        String noSubject = TestTokens.sign(TestTokens.SECRET, token -> token.claim("scope", TestTokens.ADMIN_SCOPE));

        for (String token : new String[] {unsigned, notYetValid, noSubject}) {
            mvc.perform(get(COUPONS).header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.code").value("UNAUTHORIZED"));
        }
    }

    @Test
    void takesTheAdminScopeOnlyFromTheToken() throws Exception {
        mvc.perform(get(COUPONS).header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.user(42))
                        .header("X-Scope", TestTokens.ADMIN_SCOPE).header("X-User-Id", "1")
                        .param("scope", TestTokens.ADMIN_SCOPE))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.code").value("FORBIDDEN"));
    }

    @Test
    void leavesApiDocumentationPublic() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk());
        mvc.perform(get("/swagger-ui.html")).andExpect(status().is3xxRedirection());
    }
}
