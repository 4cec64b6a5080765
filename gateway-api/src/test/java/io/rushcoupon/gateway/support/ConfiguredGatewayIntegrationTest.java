package io.rushcoupon.gateway.support;

import java.util.List;

import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.testsupport.TestTokens;

/**
 * The gateway with every optional protection set as production would: a required issuer and
 * audience, a CORS origin, a small in-flight cap and a rate window long enough for a loaded test
 * machine. One context, shared by the subclasses; {@link #couponRedis} is a spy so a test can make
 * a call slow or fail (reset after each test).
 */
@TestPropertySource(properties = {
        "rushcoupon.jwt.issuer=" + ConfiguredGatewayIntegrationTest.ISSUER,
        "rushcoupon.jwt.audience=" + ConfiguredGatewayIntegrationTest.AUDIENCE,
        "rushcoupon.cors.allowed-origins=" + ConfiguredGatewayIntegrationTest.SHOP,
        "rushcoupon.gateway.rate-limit.requests=10",
        "rushcoupon.gateway.rate-limit.window=" + ConfiguredGatewayIntegrationTest.RATE_WINDOW_SECONDS + "s",
        "rushcoupon.gateway.max-in-flight=" + ConfiguredGatewayIntegrationTest.MAX_IN_FLIGHT})
public abstract class ConfiguredGatewayIntegrationTest extends GatewayIntegrationTest {

    public static final String ISSUER = "https://id.rushcoupon.test";
    public static final String AUDIENCE = "rushcoupon-api";
    public static final String SHOP = "https://shop.rushcoupon.test";
    public static final int RATE_WINDOW_SECONDS = 5;
    public static final int MAX_IN_FLIGHT = 2;

    @MockitoSpyBean
    protected CouponRedis couponRedis;

    /** A user token this gateway accepts: right issuer and audience. */
    protected static String token(long userId) {
        return TestTokens.sign(TestTokens.SECRET, claims -> claims.subject(Long.toString(userId))
                .issuer(ISSUER).audience(List.of(AUDIENCE)));
    }
}
