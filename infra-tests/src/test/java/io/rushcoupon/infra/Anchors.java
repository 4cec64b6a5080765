package io.rushcoupon.infra;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** The anchors GitHub gives a Markdown file's headings (outside code blocks), for links such as runbook_url. */
final class Anchors {

    private Anchors() {
    }

    static Set<String> of(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        boolean code = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code && line.matches("#{1,6} .*")) {
                String text = line.replaceFirst("^#+ ", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(text.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
