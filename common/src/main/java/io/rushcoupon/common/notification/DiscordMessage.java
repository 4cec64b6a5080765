package io.rushcoupon.common.notification;

import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A Discord webhook execution body (POST JSON). {@code allowed_mentions} is always empty, so no text
 * in it — a coupon name, an admin's subject — can ping anyone. Build one with {@link DiscordRenderer},
 * which keeps it within {@link DiscordLimits}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiscordMessage(
        @Nullable String content,
        List<Embed> embeds,
        @JsonProperty("allowed_mentions") AllowedMentions allowedMentions) {

    public DiscordMessage {
        embeds = List.copyOf(embeds);
    }

    public DiscordMessage(@Nullable String content, List<Embed> embeds) {
        this(content, embeds, AllowedMentions.NONE);
    }

    /** @param timestamp ISO-8601, shown by Discord in the reader's time zone */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Embed(@Nullable String title, @Nullable String description, @Nullable Integer color,
            List<Field> fields, @Nullable Footer footer, @Nullable String timestamp) {

        public Embed {
            fields = List.copyOf(fields);
        }
    }

    public record Field(String name, String value, boolean inline) {
    }

    public record Footer(String text) {
    }

    /** {@code {"parse": []}}: no @everyone, @here, role or user mention resolves. */
    public record AllowedMentions(List<String> parse) {

        public static final AllowedMentions NONE = new AllowedMentions(List.of());

        public AllowedMentions {
            parse = List.copyOf(parse);
        }
    }
}
