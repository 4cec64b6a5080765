package io.rushcoupon.common.notification;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.rushcoupon.common.notification.DiscordMessage.Embed;
import io.rushcoupon.common.notification.DiscordMessage.Field;
import io.rushcoupon.common.notification.DiscordMessage.Footer;

/**
 * Discord's limits on a webhook message (developer docs, "Embed Limits"); a message over any of them
 * is refused with 400, which the dispatcher does not retry. {@link #fit} cuts texts with an ellipsis
 * instead. Lengths count UTF-16 units, never fewer than Discord's characters.
 */
public final class DiscordLimits {

    public static final int CONTENT = 2000;
    public static final int EMBEDS = 10;
    public static final int TITLE = 256;
    public static final int DESCRIPTION = 4096;
    public static final int FIELDS = 25;
    public static final int FIELD_NAME = 256;
    public static final int FIELD_VALUE = 1024;
    public static final int FOOTER = 2048;
    /** Titles, descriptions, field names and values, footers of all embeds together. */
    public static final int TOTAL = 6000;

    private static final String ELLIPSIS = "…";

    private DiscordLimits() {
    }

    /**
     * The message cut to every limit. Texts take the total's budget in reading order, so what is cut
     * first is what comes last; a field that no longer fits at all is left out.
     */
    public static DiscordMessage fit(DiscordMessage message) {
        String content = message.content() == null ? null : truncate(message.content(), CONTENT);
        int budget = TOTAL;
        List<Embed> embeds = new ArrayList<>();
        for (Embed embed : message.embeds().subList(0, Math.min(EMBEDS, message.embeds().size()))) {
            String title = cut(embed.title(), Math.min(TITLE, budget));
            budget -= length(title);
            String description = cut(embed.description(), Math.min(DESCRIPTION, budget));
            budget -= length(description);
            List<Field> fields = new ArrayList<>();
            for (Field field : embed.fields().subList(0, Math.min(FIELDS, embed.fields().size()))) {
                // a field needs a name and a value of at least one character each
                if (budget < 2) {
                    break;
                }
                String name = truncate(field.name(), Math.min(FIELD_NAME, budget - 1));
                budget -= name.length();
                String value = truncate(field.value(), Math.min(FIELD_VALUE, budget));
                budget -= value.length();
                fields.add(new Field(name, value, field.inline()));
            }
            Footer footer = null;
            if (embed.footer() != null && budget > 0) {
                footer = new Footer(truncate(embed.footer().text(), Math.min(FOOTER, budget)));
                budget -= footer.text().length();
            }
            embeds.add(new Embed(title, description, embed.color(), fields, footer, embed.timestamp()));
        }
        return new DiscordMessage(content, embeds, message.allowedMentions());
    }

    /** Characters that count toward {@link #TOTAL}. */
    public static int total(DiscordMessage message) {
        int total = 0;
        for (Embed embed : message.embeds()) {
            total += length(embed.title()) + length(embed.description());
            for (Field field : embed.fields()) {
                total += field.name().length() + field.value().length();
            }
            total += embed.footer() == null ? 0 : embed.footer().text().length();
        }
        return total;
    }

    /**
     * The text if it fits in {@code max}, else its start and an ellipsis, {@code max} long at most.
     * Never splits a surrogate pair or leaves a lone escaping backslash at the cut.
     */
    public static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        if (max <= 0) {
            return "";
        }
        int end = max - ELLIPSIS.length();
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        int backslashes = 0;
        while (backslashes < end && text.charAt(end - 1 - backslashes) == '\\') {
            backslashes++;
        }
        if (backslashes % 2 == 1) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    private static @Nullable String cut(@Nullable String text, int max) {
        return text == null ? null : truncate(text, max);
    }

    private static int length(@Nullable String text) {
        return text == null ? 0 : text.length();
    }
}
