package io.rushcoupon.infra;

import java.util.regex.Pattern;

/** Whether a PromQL expression, legend or alert template uses the {@code job} label. */
final class MentionsJob {

    // a matcher (job=, job=~, job!=), a grouping (by/without (…, job, …)), a legend or template
    private static final Pattern JOB = Pattern.compile(
            "\\bjob\\s*(=~|!~|!=|=)|\\b(by|without)\\s*\\([^)]*\\bjob\\b|\\{\\{\\s*job\\s*}}|\\$labels\\.job\\b");

    private MentionsJob() {
    }

    static boolean in(String text) {
        return JOB.matcher(text).find();
    }
}
