package io.rushcoupon.web.cors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.CorsFilter;

/** The CORS policy as Spring Security's CorsFilter applies it. */
class CorsPolicyTest {

    private static final String SHOP = "https://shop.rushcoupon.test";

    @Test
    void closedByDefaultSoAPreflightGetsNoAllowOrigin() throws Exception {
        MockHttpServletResponse response = preflight(new CorsProperties(List.of(), Duration.ofHours(1)), SHOP);

        assertThat(response.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).isNull();
        assertThat(response.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS)).isNull();
    }

    @Test
    void allowsAConfiguredOriginWithoutCredentials() throws Exception {
        MockHttpServletResponse response = preflight(new CorsProperties(List.of(SHOP), Duration.ofMinutes(10)), SHOP);

        assertThat(response.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo(SHOP);
        assertThat(response.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS)).contains("POST");
        assertThat(response.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS)).containsIgnoringCase("authorization");
        assertThat(response.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isNull();
        assertThat(response.getHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE)).isEqualTo("600");
    }

    @Test
    void refusesAnOriginThatIsNotListed() throws Exception {
        MockHttpServletResponse response = preflight(new CorsProperties(List.of(SHOP), Duration.ofHours(1)),
                "https://evil.test");

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).isNull();
    }

    @Test
    void refusesAWildcardOrigin() {
        assertThatThrownBy(() -> new CorsProperties(List.of("*"), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static MockHttpServletResponse preflight(CorsProperties properties, String origin) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("OPTIONS", "/api/v1/coupons/1/issue-requests");
        request.setServerName("api.rushcoupon.test");
        request.addHeader(HttpHeaders.ORIGIN, origin);
        request.addHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST");
        request.addHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization");
        MockHttpServletResponse response = new MockHttpServletResponse();
        new CorsFilter(CorsPolicy.from(properties)).doFilter(request, response, new MockFilterChain());
        return response;
    }
}
