package io.rushcoupon.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Which bearer tokens the services accept: the decoder every security chain uses. */
class TokenDecodersTest {

    /** Long enough for HS512, so "the right secret with another algorithm" can be tried. */
    private static final String SECRET = "web-support-test-secret-0123456789-abcdefghij-klmnopqrstuvwxyz-0123456789";
    private static final Instant NOW = Instant.now();

    private final JwtDecoder plain = TokenDecoders.from(new JwtProperties(SECRET, null, null, null));
    private final JwtDecoder strict = TokenDecoders.from(
            new JwtProperties(SECRET, null, "https://id.rushcoupon.test", "rushcoupon-api"));

    @Test
    void acceptsASignedTokenWithAPositiveSubjectAndTheUserIdComesFromIt() {
        Jwt jwt = plain.decode(sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject("42")));

        assertThat(UserIds.of(jwt)).isEqualTo(42);
    }

    @Test
    void rejectsATokenSignedWithAnotherSecret() {
        assertRejected(plain, sign("another-secret-of-at-least-32-bytes-0123456789", JWSAlgorithm.HS256,
                claims -> claims.subject("42")));
    }

    @Test
    void rejectsATokenWhoseSignatureWasTamperedWith() {
        String token = sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject("42"));
        String[] parts = token.split("\\.");
        String otherSubject = base64(
                "{\"sub\":\"1\",\"exp\":" + NOW.plus(Duration.ofHours(1)).getEpochSecond() + "}");

        assertRejected(plain, parts[0] + "." + otherSubject + "." + parts[2]);
    }

    @Test
    void rejectsAnUnsignedAlgNoneToken() {
        String claims = "{\"sub\":\"1\",\"scope\":\"coupons:admin\",\"exp\":"
                + NOW.plus(Duration.ofHours(1)).getEpochSecond() + "}";

        assertRejected(plain, base64("{\"alg\":\"none\"}") + "." + base64(claims) + ".");
        assertRejected(plain, base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64(claims) + ".");
        // "None" spelled otherwise, with a signature part left on
        assertRejected(plain, base64("{\"alg\":\"NONE\"}") + "." + base64(claims) + ".c2ln");
    }

    @Test
    void rejectsAnotherAlgorithmEvenWithTheRightSecret() {
        assertRejected(plain, sign(SECRET, JWSAlgorithm.HS512, claims -> claims.subject("42")));
        assertRejected(plain, sign(SECRET, JWSAlgorithm.HS384, claims -> claims.subject("42")));
    }

    @Test
    void rejectsAnExpiredToken() {
        assertRejected(plain, sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject("42")
                .issueTime(Date.from(NOW.minus(Duration.ofHours(2))))
                .expirationTime(Date.from(NOW.minus(Duration.ofMinutes(5))))));
    }

    @Test
    void rejectsATokenWithoutExpiry() {
        assertRejected(plain, sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject("42").expirationTime(null)));
    }

    @Test
    void rejectsATokenNotValidYet() {
        assertRejected(plain, sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject("42")
                .notBeforeTime(Date.from(NOW.plus(Duration.ofMinutes(10))))));
    }

    @Test
    void rejectsATokenWithoutSubject() {
        assertRejected(plain, sign(SECRET, JWSAlgorithm.HS256, claims -> claims.claim("email", "a@b.test")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-7", "abc", "1.5", "+5", " 5", "１２", "9223372036854775808",
            "99999999999999999999", "1 OR 1=1", "5\u0000"})
    void rejectsASubjectThatIsNotAPositiveUserId(String subject) {
        assertRejected(plain, sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject(subject)));
    }

    @Test
    void checksIssuerAndAudienceWhenConfigured() {
        Jwt jwt = strict.decode(sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject("42")
                .issuer("https://id.rushcoupon.test").audience(java.util.List.of("other", "rushcoupon-api"))));
        assertThat(UserIds.of(jwt)).isEqualTo(42);

        assertRejected(strict, sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject("42")
                .issuer("https://evil.test").audience("rushcoupon-api")));
        assertRejected(strict, sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject("42")
                .audience("rushcoupon-api")));
        assertRejected(strict, sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject("42")
                .issuer("https://id.rushcoupon.test").audience("another-api")));
        assertRejected(strict, sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject("42")
                .issuer("https://id.rushcoupon.test")));
    }

    @Test
    void ignoresIssuerAndAudienceWhenNotConfigured() {
        Jwt jwt = plain.decode(sign(SECRET, JWSAlgorithm.HS256, claims -> claims.subject("42")
                .issuer("https://anyone.test").audience("anything")));

        assertThat(UserIds.of(jwt)).isEqualTo(42);
    }

    @Test
    void rejectsGarbage() {
        for (String token : new String[] {"x", "a.b.c", "..", "eyJhbGciOiJIUzI1NiJ9..", "\u0000\u0001",
                "e".repeat(10_000)}) {
            assertRejected(plain, token);
        }
    }

    /** The binder refuses these at start-up (WebSupportSettingsTest); a decoder built directly refuses too. */
    @Test
    void refusesToBuildWithoutKeyOrWithAShortSecret() {
        assertThatThrownBy(() -> TokenDecoders.from(new JwtProperties(null, null, null, null)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TokenDecoders.from(new JwtProperties("short", null, null, null)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesToBuildForAnIdentityProviderWithoutIssuerOrAudience() {
        URI jwks = URI.create("https://id.rushcoupon.test/jwks");
        assertThatThrownBy(() -> TokenDecoders.from(new JwtProperties(null, jwks, null, null)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TokenDecoders.from(new JwtProperties(null, jwks, "https://id.rushcoupon.test", " ")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(TokenDecoders.from(new JwtProperties(null, jwks, "https://id.rushcoupon.test", "rushcoupon-api")))
                .isNotNull();
    }

    private static void assertRejected(JwtDecoder decoder, String token) {
        assertThatThrownBy(() -> decoder.decode(token)).as(token).isInstanceOf(JwtException.class);
    }

    private static String sign(String secret, JWSAlgorithm algorithm, Consumer<JWTClaimsSet.Builder> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
        claims.accept(builder);
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), builder.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
