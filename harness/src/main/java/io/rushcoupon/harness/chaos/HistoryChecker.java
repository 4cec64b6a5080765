package io.rushcoupon.harness.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.rushcoupon.harness.chaos.Event.Admin;
import io.rushcoupon.harness.chaos.Event.Fault;
import io.rushcoupon.harness.chaos.Event.Issue;
import io.rushcoupon.harness.chaos.Event.Poll;
import io.rushcoupon.harness.chaos.Event.Window;
import io.rushcoupon.harness.chaos.FinalState.IssuedRow;
import io.rushcoupon.harness.chaos.FinalState.RejectedRow;

/**
 * Checks one run's history against its final state (docs/reliability.md, "Randomized history
 * checker", lists every rule). Pure: no server, so each rule is tested on hand-written histories
 * (HistoryCheckerTest). Every rule only uses what a client could know, plus the final rows; where
 * the system is allowed to act on stale state (a change published while Redis was being lost) the
 * rule leaves that case out rather than guess.
 */
public final class HistoryChecker {

    /** PostgreSQL's {@code now()} and this JVM read the same host clock; rounding only. */
    static final long DATABASE_MARGIN_MS = 100;
    /** Window instants travel as seconds in places, and Redis's TIME and this JVM's clock differ by rounding. */
    static final long WINDOW_MARGIN_MS = 1_000;

    /** Rejection reasons a request decided after its coupon's close may carry besides ISSUANCE_ENDED. */
    private static final Set<String> AFTER_CLOSE_REASONS = Set.of("ISSUANCE_ENDED", "DUPLICATE_REQUEST",
            "VALIDATION_FAILED");

    /** Everything the rules look up, indexed once. */
    private record Indexed(List<Issue> issues, Map<String, List<Poll>> polls, List<Admin> admins, List<Fault> faults,
            Map<String, Long> learned, Map<String, Issue> learnedBy, Map<String, IssuedRow> rows,
            Map<String, RejectedRow> rejections, List<Event> context) {
    }

    /** Instances of one rule, the one with the shortest excerpt kept as the example. */
    private static final class Broken {
        int instances;
        String example = "";
        List<Event> excerpt = List.of();

        void add(String detail, List<Event> shows) {
            if (instances == 0 || shows.size() < excerpt.size()) {
                example = detail;
                excerpt = shows;
            }
            instances++;
        }
    }

    private final Map<String, Broken> broken = new LinkedHashMap<>();

    /** Every rule broken by {@code history} ending in {@code state}; empty when all held. */
    public static List<Violation> check(List<Event> history, FinalState state) {
        return new HistoryChecker().run(history, state);
    }

    private HistoryChecker() {
    }

    private List<Violation> run(List<Event> history, FinalState state) {
        Indexed index = index(history, state);
        conservation(index, state);
        nothingLost(index);
        honestStatuses(index, state);
        monotonicStatuses(index);
        placeHeld(index);
        closeEndsIssuance(index, state);
        pauseAndWindowStopAdmission(index);
        deliberateErrors(history);
        return broken.entrySet().stream()
                .map(entry -> new Violation(entry.getKey(), entry.getValue().instances, entry.getValue().example,
                        entry.getValue().excerpt))
                .toList();
    }

    private void flag(String rule, String detail, List<Event> shows) {
        broken.computeIfAbsent(rule, name -> new Broken()).add(detail, shows);
    }

    private static Indexed index(List<Event> history, FinalState state) {
        List<Issue> issues = new ArrayList<>();
        Map<String, List<Poll>> polls = new HashMap<>();
        List<Admin> admins = new ArrayList<>();
        List<Fault> faults = new ArrayList<>();
        List<Event> context = new ArrayList<>();
        for (Event event : history) {
            switch (event) {
                case Issue issue -> issues.add(issue);
                case Poll poll -> polls.computeIfAbsent(poll.requestId(), id -> new ArrayList<>()).add(poll);
                case Admin admin -> {
                    admins.add(admin);
                    context.add(admin);
                }
                case Fault fault -> {
                    faults.add(fault);
                    context.add(fault);
                }
            }
        }
        polls.values().forEach(list -> list.sort(Comparator.comparingLong(Poll::answeredAt)));
        issues.sort(Comparator.comparingLong(Issue::sentAt));
        // a request id is learned from its 202, or from a DUPLICATE_REQUEST naming the user's earlier request
        Map<String, Long> learned = new LinkedHashMap<>();
        Map<String, Issue> learnedBy = new HashMap<>();
        for (Issue issue : issues) {
            if (issue.requestId() != null && (issue.accepted() || "DUPLICATE_REQUEST".equals(issue.code()))) {
                learned.putIfAbsent(issue.requestId(), issue.user());
                learnedBy.merge(issue.requestId(), issue,
                        (first, next) -> next.accepted() && !first.accepted() ? next : first);
            }
        }
        Map<String, IssuedRow> rows = state.rows().stream()
                .collect(Collectors.toMap(IssuedRow::requestId, row -> row, (a, b) -> a));
        Map<String, RejectedRow> rejections = state.rejections().stream()
                .collect(Collectors.toMap(RejectedRow::requestId, row -> row, (a, b) -> a));
        return new Indexed(issues, polls, admins, faults, learned, learnedBy, rows, rejections, context);
    }

    // --- I1, I2, I5: the final state ------------------------------------------------------------

    private void conservation(Indexed index, FinalState state) {
        int issued = state.rows().size();
        List<Event> admins = List.copyOf(index.admins());
        if (issued > state.total()) {
            flag("I1 over-issue", issued + " issuance rows for a final total of " + state.total(), admins);
        }
        int maxTotal = index.admins().stream().filter(Admin::succeeded).map(Admin::total).filter(Objects::nonNull)
                .mapToInt(Integer::intValue).max().orElse(Integer.MAX_VALUE);
        if (issued > maxTotal) {
            flag("I1 over-issue", issued + " issuance rows, more than the largest total ever accepted, " + maxTotal,
                    admins);
        }
        state.rows().stream().collect(Collectors.groupingBy(IssuedRow::user)).forEach((user, rows) -> {
            if (rows.size() > 1) {
                flag("I2 duplicate", "user " + user + " has " + rows.size() + " rows: "
                        + rows.stream().map(IssuedRow::requestId).toList(), userEvents(index, user));
            }
        });
        List<Event> context = index.context();
        if (state.redisRemaining() == null) {
            flag("I5 conservation", "the coupon is missing from Redis at the end", context);
        } else if (state.redisRemaining() != state.databaseRemaining()
                || state.databaseRemaining() != state.total() - issued) {
            flag("I5 conservation", "Redis remaining " + state.redisRemaining() + ", PostgreSQL remaining "
                    + state.databaseRemaining() + ", total - issued " + (state.total() - issued)
                    + (state.settled() ? "" : " (never settled)"), context);
        }
        if (state.pending() > 0) {
            flag("I5 conservation", state.pending() + " requests still pending in Redis at the end", context);
        }
    }

    // --- I3: every learned request final --------------------------------------------------------

    private void nothingLost(Indexed index) {
        index.learned().forEach((requestId, user) -> {
            List<Poll> polls = index.polls().getOrDefault(requestId, List.of());
            if (polls.stream().anyMatch(Poll::showsFinal)) {
                return; // seen final; a later loss of that status is the monotonicity rule's
            }
            Optional<Poll> last = polls.stream().filter(poll -> poll.status() == 200 || poll.showsUnknown())
                    .reduce((first, second) -> second);
            if (last.isEmpty() || !last.get().showsFinal()) {
                // a request never final spans the whole run: the faults meanwhile, not every admin call
                List<Event> focus = new ArrayList<>(index.issues().stream()
                        .filter(issue -> requestId.equals(issue.requestId())).limit(3).toList());
                last.ifPresent(focus::add);
                flag("I3 never final", "request " + requestId + " of user " + user + " last seen "
                        + last.map(Poll::shown).orElse("never answered"),
                        withContext(index, focus, Fault.class::isInstance));
            }
        });
    }

    // --- I4: what polls showed against the rows -------------------------------------------------

    private void honestStatuses(Indexed index, FinalState state) {
        Set<Long> issuedUsers = state.rows().stream().map(IssuedRow::user).collect(Collectors.toSet());
        index.polls().forEach((requestId, polls) -> {
            IssuedRow row = index.rows().get(requestId);
            RejectedRow rejection = index.rejections().get(requestId);
            polls.stream().filter(Poll::showsIssued).findFirst().ifPresent(poll -> {
                if (row == null || row.user() != poll.user()) {
                    flag("I4 ISSUED without its row", "request " + requestId + " shown ISSUED to user " + poll.user()
                            + (row == null ? " has no row" : " but its row is user " + row.user() + "'s"),
                            requestEvents(index, requestId, List.of(poll)));
                }
            });
            polls.stream().filter(Poll::showsRejected).findFirst().ifPresent(poll -> {
                if (row != null) {
                    flag("I4 REJECTED but issued", "request " + requestId + " shown " + poll.shown()
                            + " has an issuance row", requestEvents(index, requestId, List.of(poll)));
                }
                if ("DUPLICATE_REQUEST".equals(poll.reason()) && !issuedUsers.contains(poll.user())) {
                    flag("I4 DUPLICATE without a row", "request " + requestId + " shown REJECTED DUPLICATE_REQUEST,"
                            + " but user " + poll.user() + " has no row", requestEvents(index, requestId, List.of(poll)));
                }
                if (rejection != null && !rejection.reason().equals(poll.reason())) {
                    flag("I4 reason differs from PostgreSQL", "request " + requestId + " shown " + poll.shown()
                            + ", recorded as " + rejection.reason(), requestEvents(index, requestId, List.of(poll)));
                }
                if ("COUPON_PAUSED".equals(poll.reason())) {
                    flag("pause rejected an admitted request", "request " + requestId + " shown " + poll.shown()
                            + ": a pause stops admission, not what was admitted",
                            requestEvents(index, requestId, List.of(poll)));
                }
            });
            if (row != null && rejection != null) {
                flag("I4 both issued and rejected", "request " + requestId + " has an issuance row and a rejection ("
                        + rejection.reason() + ")", requestEvents(index, requestId, List.of()));
            }
        });
        // a row nobody was told of: only if the user's calls all had definite answers
        for (IssuedRow row : state.rows()) {
            if (index.learned().containsKey(row.requestId())) {
                continue;
            }
            boolean unknownOutcome = index.issues().stream().filter(issue -> issue.user() == row.user())
                    .anyMatch(issue -> issue.status() == 0 || issue.status() >= 500);
            if (!unknownOutcome) {
                flag("I4 row nobody was told of", "request " + row.requestId() + " of user " + row.user()
                        + " is issued, but no answer to that user named it", userEvents(index, row.user()));
            }
        }
    }

    /**
     * PENDING → ISSUED | REJECTED(reason), never back, never flipped: once a poll showed a final
     * status, every poll sent after that answer shows the same (503s and unanswered polls say
     * nothing). Before any final, 404 after the 202 means the request was forgotten, unless Redis
     * lost its data in between (a pending request lives only there and in Kafka).
     */
    private void monotonicStatuses(Indexed index) {
        index.polls().forEach((requestId, polls) -> {
            Optional<Poll> firstFinal = polls.stream().filter(Poll::showsFinal).findFirst();
            if (firstFinal.isPresent()) {
                Poll shown = firstFinal.get();
                polls.stream()
                        .filter(poll -> poll.sentAt() > shown.answeredAt())
                        .filter(poll -> (poll.status() == 200 && !poll.shown().equals(shown.shown()))
                                || poll.showsUnknown())
                        .findFirst()
                        .ifPresent(later -> flag("I4 status not monotonic", "request " + requestId + " shown "
                                + shown.shown() + " at " + seconds(shown.answeredAt()) + ", then " + later.shown()
                                + " at " + seconds(later.answeredAt()),
                                requestEvents(index, requestId, List.of(shown, later))));
            }
            Issue learnedBy = index.learnedBy().get(requestId);
            if (learnedBy == null) {
                return;
            }
            long finalAt = firstFinal.map(Poll::answeredAt).orElse(Long.MAX_VALUE);
            polls.stream()
                    .filter(poll -> poll.showsUnknown() && poll.sentAt() > learnedBy.answeredAt()
                            && poll.answeredAt() < finalAt)
                    .filter(poll -> !redisLost(index, learnedBy.sentAt(), poll.answeredAt()))
                    .findFirst()
                    .ifPresent(poll -> flag("I3 request forgotten", "request " + requestId + " answered "
                            + learnedBy.status() + " at " + seconds(learnedBy.answeredAt()) + ", then polled "
                            + poll.shown() + " with no Redis loss in between",
                            requestEvents(index, requestId, List.of(poll))));
        });
    }

    /**
     * The users hash holds a user's place with a pending or ISSUED request: a user shown ISSUED is
     * never admitted again, and a DUPLICATE_REQUEST afterwards names the ISSUED request.
     */
    private void placeHeld(Indexed index) {
        Map<Long, Poll> firstIssued = new HashMap<>();
        index.polls().values().stream().flatMap(List::stream).filter(Poll::showsIssued)
                .forEach(poll -> firstIssued.merge(poll.user(), poll,
                        (a, b) -> a.answeredAt() <= b.answeredAt() ? a : b));
        for (Issue issue : index.issues()) {
            Poll issued = firstIssued.get(issue.user());
            if (issued == null || issue.sentAt() <= issued.answeredAt()) {
                continue;
            }
            if (issue.accepted()) {
                flag("I4 issued user admitted again", "user " + issue.user() + " shown ISSUED (" + issued.requestId()
                        + ") at " + seconds(issued.answeredAt()) + ", admitted again at " + seconds(issue.answeredAt())
                        + " as " + issue.requestId(), withContext(index, List.of(issued, issue)));
            } else if ("DUPLICATE_REQUEST".equals(issue.code()) && issue.requestId() != null
                    && !issue.requestId().equals(issued.requestId())) {
                flag("I4 place held by another request", "user " + issue.user() + " shown ISSUED ("
                        + issued.requestId() + "), later told DUPLICATE_REQUEST naming " + issue.requestId(),
                        withContext(index, List.of(issued, issue)));
            }
        }
    }

    // --- admin semantics ------------------------------------------------------------------------

    /**
     * Closing is final: nothing is issued after the close committed (its answer is after the
     * commit), a request admitted after it ends REJECTED ISSUANCE_ENDED, and the gateway admits
     * nothing once the close answered — unless Redis was being lost while the close was published.
     */
    private void closeEndsIssuance(Indexed index, FinalState state) {
        Optional<Admin> close = index.admins().stream()
                .filter(admin -> admin.operation().equals("close") && admin.succeeded()).findFirst();
        if (close.isEmpty()) {
            return;
        }
        Admin closed = close.get();
        long closedAt = closed.answeredAt();
        for (IssuedRow row : state.rows()) {
            if (row.issuedAt() > closedAt + DATABASE_MARGIN_MS) {
                flag("close: issued after close", "request " + row.requestId() + " of user " + row.user()
                        + " issued at " + seconds(row.issuedAt()) + ", the close answered at " + seconds(closedAt),
                        requestEvents(index, row.requestId(), List.of(closed)));
            }
        }
        for (RejectedRow rejection : state.rejections()) {
            if (rejection.rejectedAt() > closedAt + DATABASE_MARGIN_MS
                    && !AFTER_CLOSE_REASONS.contains(rejection.reason())) {
                flag("close: rejected after close for another reason", "request " + rejection.requestId()
                        + " rejected " + rejection.reason() + " at " + seconds(rejection.rejectedAt())
                        + ", after the close answered at " + seconds(closedAt),
                        requestEvents(index, rejection.requestId(), List.of(closed)));
            }
        }
        boolean publishedSafely = !redisLost(index, closed.sentAt(), closed.answeredAt());
        for (Issue issue : index.issues()) {
            if (!issue.accepted() || issue.sentAt() <= closedAt) {
                continue;
            }
            if (publishedSafely) {
                flag("close: admitted after close", "user " + issue.user() + " admitted at "
                        + seconds(issue.answeredAt()) + " as " + issue.requestId() + ", the close answered at "
                        + seconds(closedAt), withContext(index, List.of(closed, issue)));
            }
            index.polls().getOrDefault(issue.requestId(), List.of()).stream().filter(Poll::showsFinal).findFirst()
                    .filter(poll -> !"REJECTED ISSUANCE_ENDED".equals(poll.shown()))
                    .ifPresent(poll -> flag("close: decided after close", "request " + issue.requestId()
                            + " admitted after the close, shown " + poll.shown(),
                            requestEvents(index, issue.requestId(), List.of(closed, poll))));
        }
    }

    /** Nothing is admitted while the coupon is paused (between a pause's answer and the next resume's call), or outside its window. */
    private void pauseAndWindowStopAdmission(Indexed index) {
        List<Admin> succeeded = index.admins().stream().filter(Admin::succeeded).toList();
        for (Admin pause : succeeded) {
            if (!pause.operation().equals("pause") || redisLost(index, pause.sentAt(), pause.answeredAt())) {
                continue;
            }
            long until = succeeded.stream().filter(admin -> admin.sentAt() > pause.sentAt()
                    && (admin.operation().equals("resume") || admin.operation().equals("close")))
                    .mapToLong(Admin::sentAt).min().orElse(Long.MAX_VALUE);
            index.issues().stream()
                    .filter(issue -> issue.accepted() && issue.sentAt() > pause.answeredAt() && issue.answeredAt() < until)
                    .findFirst()
                    .ifPresent(issue -> flag("pause: admitted while paused", "user " + issue.user() + " admitted at "
                            + seconds(issue.answeredAt()) + ", the pause answered at " + seconds(pause.answeredAt()),
                            withContext(index, List.of(pause, issue))));
        }
        List<Admin> windowCalls = index.admins().stream()
                .filter(admin -> admin.operation().equals("create") || admin.operation().startsWith("window"))
                .toList();
        for (Issue issue : index.issues()) {
            if (!issue.accepted()) {
                continue;
            }
            boolean changing = windowCalls.stream()
                    .anyMatch(call -> call.sentAt() < issue.answeredAt() && call.answeredAt() > issue.sentAt());
            Admin last = windowCalls.stream().filter(call -> call.succeeded() && call.window() != null
                    && call.answeredAt() < issue.sentAt()).reduce((first, second) -> second).orElse(null);
            if (changing || last == null || redisLost(index, last.sentAt(), last.answeredAt())) {
                continue;
            }
            Window window = Objects.requireNonNull(last.window());
            if (issue.sentAt() > window.endsAt() + WINDOW_MARGIN_MS
                    || issue.answeredAt() < window.startsAt() - WINDOW_MARGIN_MS) {
                flag("window: admitted outside the window", "user " + issue.user() + " admitted at "
                        + seconds(issue.answeredAt()) + " as " + issue.requestId() + ", the window was "
                        + seconds(window.startsAt()) + ".." + seconds(window.endsAt()),
                        withContext(index, List.of(last, issue)));
            }
        }
    }

    // --- answers ----------------------------------------------------------------------------------

    /** No 5xx but 503 with Retry-After (502/504 only come from nginx, which a chaos stack does not run). */
    private void deliberateErrors(List<Event> history) {
        for (Event event : history) {
            int status;
            String code;
            String retryAfter;
            switch (event) {
                case Issue issue -> {
                    status = issue.status();
                    code = issue.code();
                    retryAfter = issue.retryAfter();
                }
                case Poll poll -> {
                    status = poll.status();
                    code = poll.code();
                    retryAfter = poll.retryAfter();
                }
                case Admin admin -> {
                    status = admin.status();
                    code = admin.code();
                    retryAfter = admin.retryAfter();
                }
                case Fault fault -> {
                    continue;
                }
            }
            if (status >= 500 && !(status == 503 && retryAfter != null)) {
                flag("answers: 5xx other than 503 with Retry-After", status + " " + code, List.of(event));
            }
        }
    }

    // --- excerpts ---------------------------------------------------------------------------------

    private static boolean redisLost(Indexed index, long from, long to) {
        return index.faults().stream().anyMatch(fault -> fault.redisLoss() && fault.sentAt() < to
                && fault.answeredAt() > from);
    }

    /** The calls that made and named a request, the given polls and events, and what admins and faults did meanwhile. */
    private static List<Event> requestEvents(Indexed index, String requestId, List<? extends Event> shows) {
        List<Event> focus = new ArrayList<>(index.issues().stream()
                .filter(issue -> requestId.equals(issue.requestId())).limit(3).toList());
        List<Poll> polls = index.polls().getOrDefault(requestId, List.of());
        polls.stream().filter(Poll::showsFinal).findFirst().ifPresent(focus::add);
        if (!polls.isEmpty()) {
            focus.add(polls.getLast());
        }
        focus.addAll(shows);
        return withContext(index, focus);
    }

    private static List<Event> userEvents(Indexed index, long user) {
        List<Event> focus = new ArrayList<>(index.issues().stream().filter(issue -> issue.user() == user).toList());
        index.polls().values().stream().flatMap(List::stream).filter(poll -> poll.user() == user)
                .filter(Poll::showsFinal).forEach(focus::add);
        return withContext(index, focus);
    }

    /** {@code focus} without repeats, plus the admin calls and faults that overlap its time span, in time order. */
    private static List<Event> withContext(Indexed index, List<? extends Event> focus) {
        return withContext(index, focus, event -> true);
    }

    private static List<Event> withContext(Indexed index, List<? extends Event> focus, Predicate<Event> kinds) {
        if (focus.isEmpty()) {
            return List.copyOf(index.context());
        }
        long from = focus.stream().mapToLong(Event::sentAt).min().orElse(0);
        long to = focus.stream().mapToLong(Event::answeredAt).max().orElse(0);
        Predicate<Event> overlaps = event -> event.sentAt() <= to && event.answeredAt() >= from;
        return Stream.concat(focus.stream(), index.context().stream().filter(kinds.and(overlaps)))
                .distinct()
                .sorted(Comparator.comparingLong(Event::sentAt).thenComparingLong(Event::answeredAt))
                .map(Event.class::cast)
                .toList();
    }

    private static String seconds(long millis) {
        return "%.3f s".formatted(millis / 1000.0);
    }
}
