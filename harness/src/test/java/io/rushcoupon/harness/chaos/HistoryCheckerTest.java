package io.rushcoupon.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.rushcoupon.harness.chaos.Event.Admin;
import io.rushcoupon.harness.chaos.Event.Fault;
import io.rushcoupon.harness.chaos.Event.Issue;
import io.rushcoupon.harness.chaos.Event.Poll;
import io.rushcoupon.harness.chaos.Event.Window;
import io.rushcoupon.harness.chaos.FinalState.IssuedRow;
import io.rushcoupon.harness.chaos.FinalState.RejectedRow;

/** Each rule of the checker fires on a hand-written history that breaks it, and none fires on an honest one. */
class HistoryCheckerTest {

    private static final long ANSWER_MILLIS = 10;

    private final List<Event> history = new ArrayList<>();
    private final List<IssuedRow> rows = new ArrayList<>();
    private final List<RejectedRow> rejections = new ArrayList<>();
    private int total = 2;
    private int databaseRemaining = 0;
    private @Nullable Integer redisRemaining = 0;
    private int pending;

    // --- building histories -------------------------------------------------------------------

    private void admin(String operation, long at, int status, @Nullable Integer total, @Nullable String state) {
        admin(operation, at, status, total, state, new Window(-60_000, 3_600_000));
    }

    private void admin(String operation, long at, int status, @Nullable Integer total, @Nullable String state,
            Window window) {
        history.add(new Admin(operation, at, at + ANSWER_MILLIS, status, status < 400 ? null : "CODE", total, state,
                window, null));
    }

    /** An admin raised the total to {@code units} at {@code at}. */
    private void raiseTo(int units, long at) {
        total = units;
        admin("raise", at, 200, units, "ACTIVE");
    }

    private void issue(long user, long at, int status, @Nullable String code, @Nullable String requestId) {
        history.add(new Issue(user, at, at + ANSWER_MILLIS, status, code, requestId,
                status == 503 || status == 429 ? "1" : null));
    }

    private void accepted(long user, long at, String requestId) {
        issue(user, at, 202, null, requestId);
    }

    private void poll(long user, String requestId, long at, String status, @Nullable String reason) {
        history.add(new Poll(user, requestId, at, at + ANSWER_MILLIS, 200, status, reason, null, null));
    }

    private void pollNotFound(long user, String requestId, long at) {
        history.add(new Poll(user, requestId, at, at + ANSWER_MILLIS, 404, null, null, "REQUEST_NOT_FOUND", null));
    }

    private void row(String requestId, long user, long issuedAt) {
        rows.add(new IssuedRow(requestId, user, issuedAt));
    }

    private List<Violation> check() {
        return HistoryChecker.check(history, new FinalState(total, databaseRemaining, redisRemaining, pending,
                pending == 0, rows, rejections));
    }

    private List<String> rules() {
        return check().stream().map(Violation::rule).toList();
    }

    /** Two units: user 1 issued, user 2 told sold out now and admitted later, user 3 rejected, user 4 told to retry. */
    private void honestRush() {
        admin("create", 0, 201, 2, "ACTIVE");
        accepted(1, 100, "1-a");
        poll(1, "1-a", 200, "PENDING", null);
        poll(1, "1-a", 400, "ISSUED", null);
        issue(2, 150, 410, "SOLD_OUT", null);
        accepted(2, 1_000, "1-b");
        issue(2, 1_005, 409, "DUPLICATE_REQUEST", "1-b");
        poll(2, "1-b", 1_500, "ISSUED", null);
        accepted(3, 1_100, "1-c");
        poll(3, "1-c", 1_600, "REJECTED", "SOLD_OUT");
        poll(3, "1-c", 2_600, "REJECTED", "SOLD_OUT");
        issue(4, 300, 503, "UNAVAILABLE", null);
        issue(1, 3_000, 409, "DUPLICATE_REQUEST", "1-a");
        row("1-a", 1, 350);
        row("1-b", 2, 1_400);
        rejections.add(new RejectedRow("1-c", 3, "SOLD_OUT", 1_550));
    }

    // --- the honest history -------------------------------------------------------------------

    @Test
    void findsNothingWrongWithAnHonestHistory() {
        honestRush();

        assertThat(check()).isEmpty();
    }

    // --- I1, I2, I5 ---------------------------------------------------------------------------

    @Test
    void flagsMoreRowsThanTheFinalTotal() {
        honestRush();
        row("1-x", 9, 2_000);
        accepted(9, 1_900, "1-x");
        poll(9, "1-x", 2_100, "ISSUED", null);
        databaseRemaining = -1;
        redisRemaining = -1;

        assertThat(rules()).contains("I1 over-issue");
    }

    @Test
    void flagsMoreRowsThanTheLargestTotalAnyAdminAnswerShowed() {
        honestRush();
        total = 3;
        databaseRemaining = 0;
        redisRemaining = 0;
        accepted(9, 1_900, "1-x");
        poll(9, "1-x", 2_100, "ISSUED", null);
        row("1-x", 9, 2_000);

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("I1 over-issue");
            assertThat(violation.example()).contains("largest total ever accepted, 2");
        });
    }

    @Test
    void flagsAUserWithTwoRows() {
        honestRush();
        raiseTo(3, 3_900);
        accepted(1, 4_000, "1-z");
        poll(1, "1-z", 4_100, "ISSUED", null);
        row("1-z", 1, 4_050);

        assertThat(rules()).contains("I2 duplicate");
    }

    @Test
    void flagsRedisRemainingThatDiffersFromPostgresql() {
        honestRush();
        redisRemaining = 1;

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("I5 conservation");
            assertThat(violation.example()).contains("Redis remaining 1, PostgreSQL remaining 0");
        });
    }

    @Test
    void flagsRequestsStillPendingAtTheEnd() {
        honestRush();
        pending = 2;

        assertThat(rules()).containsExactly("I5 conservation");
    }

    // --- I3 -----------------------------------------------------------------------------------

    @Test
    void flagsAnAcceptedRequestNeverSeenFinal() {
        honestRush();
        accepted(5, 1_200, "1-p");
        poll(5, "1-p", 1_300, "PENDING", null);
        poll(5, "1-p", 9_000, "PENDING", null);

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("I3 never final");
            assertThat(violation.example()).contains("1-p", "last seen PENDING");
        });
    }

    @Test
    void flagsARequestTheGatewayForgotWithoutARedisLoss() {
        honestRush();
        accepted(5, 1_200, "1-p");
        pollNotFound(5, "1-p", 1_300);
        poll(5, "1-p", 2_000, "REJECTED", "SOLD_OUT");

        assertThat(rules()).containsExactly("I3 request forgotten");
    }

    @Test
    void acceptsAPendingRequestUnknownForAWhileAfterRedisLostItsData() {
        honestRush();
        accepted(5, 1_200, "1-p");
        history.add(new Fault("redis-flushall", true, 1_250, 1_260));
        pollNotFound(5, "1-p", 1_300);
        poll(5, "1-p", 2_000, "REJECTED", "SOLD_OUT");

        assertThat(check()).isEmpty();
    }

    // --- I4 -----------------------------------------------------------------------------------

    @Test
    void flagsIssuedShownWithoutItsRow() {
        honestRush();
        rows.removeIf(row -> row.requestId().equals("1-b"));
        databaseRemaining = 1;
        redisRemaining = 1;

        assertThat(rules()).containsExactly("I4 ISSUED without its row");
    }

    @Test
    void flagsRejectedShownForARequestThatHasARow() {
        honestRush();
        raiseTo(3, 1_000);
        row("1-c", 3, 1_580);
        rejections.clear();

        assertThat(rules()).containsExactly("I4 REJECTED but issued");
    }

    @Test
    void flagsARejectedRequestLaterShownIssued() {
        honestRush();
        raiseTo(3, 2_000);
        poll(3, "1-c", 3_000, "ISSUED", null);
        row("1-c", 3, 2_900);
        rejections.clear();

        List<Violation> violations = check();

        assertThat(violations).extracting(Violation::rule)
                .contains("I4 status not monotonic", "I4 REJECTED but issued");
        Violation flip = violations.stream().filter(violation -> violation.rule().equals("I4 status not monotonic"))
                .findFirst().orElseThrow();
        assertThat(flip.example()).contains("shown REJECTED SOLD_OUT at 1.610 s, then ISSUED at 3.010 s");
        // the request's exchanges and the raise between them, in time order
        assertThat(flip.excerpt()).extracting(Event::sentAt).isSorted();
        assertThat(flip.excerpt()).anySatisfy(event -> assertThat(event.line()).contains("admin  raise"));
        assertThat(flip.excerpt()).allSatisfy(event -> assertThat(event.line()).doesNotContain("user 1 "));
    }

    @Test
    void flagsAnIssuedStatusLaterUnknown() {
        honestRush();
        pollNotFound(1, "1-a", 5_000);

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("I4 status not monotonic");
            assertThat(violation.example()).contains("shown ISSUED", "then 404 REQUEST_NOT_FOUND");
        });
    }

    @Test
    void flagsAnIssuedUserAdmittedAgain() {
        honestRush();
        accepted(1, 5_000, "1-again");
        poll(1, "1-again", 5_100, "REJECTED", "DUPLICATE_REQUEST");

        assertThat(rules()).containsExactly("I4 issued user admitted again");
    }

    @Test
    void flagsADuplicateAnswerThatNamesAnotherRequestThanTheIssuedOne() {
        honestRush();
        issue(1, 5_000, 409, "DUPLICATE_REQUEST", "1-other");
        poll(1, "1-other", 5_100, "REJECTED", "DUPLICATE_REQUEST");

        assertThat(rules()).containsExactly("I4 place held by another request");
    }

    @Test
    void flagsADuplicateRejectionOfAUserWithoutARow() {
        honestRush();
        accepted(6, 1_200, "1-d");
        poll(6, "1-d", 1_300, "REJECTED", "DUPLICATE_REQUEST");

        assertThat(rules()).containsExactly("I4 DUPLICATE without a row");
    }

    @Test
    void flagsARejectionReasonThatDiffersFromPostgresql() {
        honestRush();
        rejections.set(0, new RejectedRow("1-c", 3, "ISSUANCE_ENDED", 1_550));

        assertThat(rules()).containsExactly("I4 reason differs from PostgreSQL");
    }

    @Test
    void flagsARequestBothIssuedAndRejectedInPostgresql() {
        honestRush();
        rejections.add(new RejectedRow("1-a", 1, "SOLD_OUT", 360));

        assertThat(rules()).containsExactly("I4 both issued and rejected");
    }

    @Test
    void flagsARowNoAnswerNamedWhenTheUserHadOnlyDefiniteAnswers() {
        honestRush();
        raiseTo(3, 900);
        issue(7, 1_000, 410, "SOLD_OUT", null);
        row("1-secret", 7, 1_100);

        assertThat(rules()).containsExactly("I4 row nobody was told of");
    }

    @Test
    void acceptsARowOfAUserWhoseCallWentUnanswered() {
        honestRush();
        raiseTo(3, 900);
        issue(7, 1_000, 0, "HttpTimeoutException", null);
        row("1-secret", 7, 1_100);

        assertThat(check()).isEmpty();
    }

    // --- admin semantics ------------------------------------------------------------------------

    @Test
    void flagsARowIssuedAfterTheCloseAnswered() {
        honestRush();
        total = 3;
        admin("close", 2_000, 200, 3, "CLOSED");
        accepted(8, 1_900, "1-late");
        poll(8, "1-late", 4_000, "ISSUED", null);
        row("1-late", 8, 3_000);

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("close: issued after close");
            assertThat(violation.excerpt()).anySatisfy(event -> assertThat(event.line()).contains("admin  close"));
        });
    }

    @Test
    void acceptsARowWhoseTransactionStartedBeforeTheCloseAnswered() {
        honestRush();
        total = 3;
        admin("close", 2_000, 200, 3, "CLOSED");
        accepted(8, 1_900, "1-late");
        poll(8, "1-late", 4_000, "ISSUED", null);
        row("1-late", 8, 2_005);

        assertThat(check()).isEmpty();
    }

    @Test
    void flagsAnAdmissionAfterTheCloseAndItsDecisionForAnotherReason() {
        honestRush();
        admin("close", 2_000, 200, 2, "CLOSED");
        accepted(8, 2_100, "1-late");
        poll(8, "1-late", 2_500, "REJECTED", "SOLD_OUT");

        assertThat(rules()).containsExactly("close: admitted after close", "close: decided after close");
    }

    @Test
    void acceptsAnAdmissionAfterACloseThatRedisMissedEndingIssuanceEnded() {
        honestRush();
        history.add(new Fault("redis-restart-empty", true, 1_990, 2_050));
        admin("close", 2_000, 200, 2, "CLOSED");
        accepted(8, 2_100, "1-late");
        poll(8, "1-late", 2_500, "REJECTED", "ISSUANCE_ENDED");

        assertThat(check()).isEmpty();
    }

    @Test
    void flagsARejectionRecordedAfterTheCloseForAnotherReason() {
        honestRush();
        admin("close", 1_450, 200, 2, "CLOSED");
        rejections.set(0, new RejectedRow("1-c", 3, "SOLD_OUT", 1_580));

        assertThat(rules()).containsExactly("close: rejected after close for another reason");
    }

    @Test
    void flagsAnAdmissionWhilePausedButNotAfterTheResume() {
        honestRush();
        admin("pause", 2_000, 200, 2, "PAUSED");
        admin("resume", 3_000, 200, 2, "ACTIVE");
        accepted(8, 2_500, "1-paused");
        poll(8, "1-paused", 2_700, "REJECTED", "SOLD_OUT");
        accepted(9, 3_100, "1-resumed");
        poll(9, "1-resumed", 3_300, "REJECTED", "SOLD_OUT");

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("pause: admitted while paused");
            assertThat(violation.example()).contains("user 8");
        });
    }

    @Test
    void flagsARequestRejectedBecauseOfAPause() {
        honestRush();
        accepted(8, 1_900, "1-p");
        admin("pause", 2_000, 200, 2, "PAUSED");
        poll(8, "1-p", 2_100, "REJECTED", "COUPON_PAUSED");

        assertThat(rules()).containsExactly("pause rejected an admitted request");
    }

    @Test
    void flagsAnAdmissionAfterTheWindowEnded() {
        honestRush();
        admin("window-end", 2_000, 200, 2, "ACTIVE", new Window(-60_000, 3_000));
        accepted(8, 3_500, "1-in-time");
        poll(8, "1-in-time", 3_700, "REJECTED", "SOLD_OUT");
        accepted(9, 4_500, "1-too-late");
        poll(9, "1-too-late", 4_700, "REJECTED", "SOLD_OUT");

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("window: admitted outside the window");
            assertThat(violation.example()).contains("user 9");
        });
    }

    // --- answers ----------------------------------------------------------------------------------

    @Test
    void flagsServerErrorsOtherThanA503WithRetryAfter() {
        honestRush();
        issue(8, 2_000, 500, "INTERNAL_ERROR", null);
        history.add(new Poll(1, "1-a", 2_100, 2_110, 503, null, null, "UNAVAILABLE", null));
        history.add(new Poll(1, "1-a", 2_200, 2_210, 503, null, null, "UNAVAILABLE", "2"));

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("answers: 5xx other than 503 with Retry-After");
            assertThat(violation.instances()).isEqualTo(2);
        });
    }
}
