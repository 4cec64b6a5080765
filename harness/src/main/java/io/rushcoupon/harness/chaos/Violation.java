package io.rushcoupon.harness.chaos;

import java.util.List;

/**
 * A rule the history broke: which ({@code I3}, {@code I4 monotonic}, {@code close}, …), how many
 * requests, users or answers broke it, one example in words, and the shortest excerpt of the
 * history that shows that example, in time order.
 */
public record Violation(String rule, int instances, String example, List<Event> excerpt) {

    public Violation {
        excerpt = List.copyOf(excerpt);
    }
}
