package io.rushcoupon.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.rushcoupon.common.issue.RequestId;
import tools.jackson.databind.json.JsonMapper;

class IssueRequestedTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aWellFormedEventHasNoViolations() {
        var event = new IssueRequested(RequestId.newFor(5).toString(), 5, 9, "a@b.test", "ann", NOW);

        assertThat(event.violations()).isEmpty();
    }

    @Test
    void namesEveryProblemOfABrokenEvent() {
        var event = new IssueRequested("junk", 0, -1, "x".repeat(400), "y".repeat(101), null);

        assertThat(event.violations()).containsExactlyInAnyOrder("couponId must be positive",
                "userId must be positive", "requestedAt is required", "requestId is malformed",
                "email is longer than 320", "username is longer than 100");
    }

    @Test
    void refusesAnAcceptanceTimeNoClockCouldHaveGiven() {
        String requestId = RequestId.newFor(5).toString();

        assertThat(new IssueRequested(requestId, 5, 9, null, null, Instant.parse("1500-01-01T00:00:00Z")).violations())
                .containsExactly("requestedAt is out of range");
        assertThat(new IssueRequested(requestId, 5, 9, null, null, Instant.MAX).violations())
                .containsExactly("requestedAt is out of range");
    }

    @Test
    void refusesControlCharactersInEmailAndUsername() {
        String requestId = RequestId.newFor(5).toString();

        assertThat(new IssueRequested(requestId, 5, 9, "a\u0000@b.test", "ann", NOW).violations())
                .containsExactly("email contains a control character");
        assertThat(new IssueRequested(requestId, 5, 9, "a@b.test", "an\u0000n", NOW).violations())
                .containsExactly("username contains a control character");
        assertThat(new IssueRequested(requestId, 5, 9, "a@b.test\n", "ann\u007f", NOW).violations())
                .containsExactly("email contains a control character", "username contains a control character");
        // letters beyond ASCII are fine
        assertThat(new IssueRequested(requestId, 5, 9, "jos\u00e9@b.test", "\uc9c0\ubbfc", NOW).violations()).isEmpty();
    }

    @Test
    void refusesARequestIdOfAnotherCoupon() {
        var event = new IssueRequested(RequestId.newFor(6).toString(), 5, 9, null, null, NOW);

        assertThat(event.violations()).containsExactly("requestId belongs to another coupon");
    }

    @Test
    void travelsAsJsonWithAnIsoTimestamp() {
        JsonMapper json = JsonMapper.builder().build();
        var event = new IssueRequested(RequestId.newFor(5).toString(), 5, 9, null, "ann", NOW);

        String text = json.writeValueAsString(event);

        assertThat(text).contains("\"requestedAt\":\"2026-12-01T10:00:00Z\"", "\"couponId\":5");
        assertThat(json.readValue(text, IssueRequested.class)).isEqualTo(event);
    }
}
