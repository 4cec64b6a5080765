package io.rushcoupon.common.notification;

/**
 * Makes text that anyone may have typed (a coupon's name, an admin's subject) show as itself in a
 * Discord message: markdown characters are escaped, and an {@code @} is followed by a zero-width
 * space so {@code @everyone}, {@code @here} and {@code <@id>} are no mentions even where
 * allowed_mentions were ignored. Line breaks become spaces: such text sits in one line.
 */
public final class DiscordMarkdown {

    static final char ZERO_WIDTH_SPACE = '\u200B';
    private static final String ESCAPED = "\\*_~`|>#-[]()<:";

    private DiscordMarkdown() {
    }

    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (ESCAPED.indexOf(c) >= 0) {
                escaped.append('\\').append(c);
            } else if (c == '@') {
                escaped.append('@').append(ZERO_WIDTH_SPACE);
            } else if (c == '\n' || c == '\r' || c == '\t') {
                escaped.append(' ');
            } else if (!Character.isISOControl(c)) {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** Escaped text as a log line shows it: the backslashes and zero-width spaces taken out again. */
    static String plain(String escaped) {
        StringBuilder plain = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\' && i + 1 < escaped.length() && ESCAPED.indexOf(escaped.charAt(i + 1)) >= 0) {
                plain.append(escaped.charAt(++i));
            } else if (c != ZERO_WIDTH_SPACE) {
                plain.append(c);
            }
        }
        return plain.toString();
    }
}
