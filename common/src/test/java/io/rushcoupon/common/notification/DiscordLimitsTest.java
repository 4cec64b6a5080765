package io.rushcoupon.common.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rushcoupon.common.notification.DiscordMessage.Embed;
import io.rushcoupon.common.notification.DiscordMessage.Field;
import io.rushcoupon.common.notification.DiscordMessage.Footer;

class DiscordLimitsTest {

    @Test
    void cutsEveryTextAndCountToItsLimitAndTheWholeToSixThousand() {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            fields.add(new Field("n".repeat(300), "v".repeat(2000), true));
        }
        List<Embed> embeds = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            embeds.add(new Embed("t".repeat(300), "d".repeat(5000), 1, fields, new Footer("f".repeat(3000)), null));
        }

        DiscordMessage fitted = DiscordLimits.fit(new DiscordMessage("c".repeat(2500), embeds));

        assertThat(fitted.content()).hasSize(DiscordLimits.CONTENT).endsWith("…");
        assertThat(fitted.embeds()).hasSizeLessThanOrEqualTo(DiscordLimits.EMBEDS);
        assertThat(DiscordLimits.total(fitted)).isLessThanOrEqualTo(DiscordLimits.TOTAL);
        Embed first = fitted.embeds().getFirst();
        assertThat(first.title()).hasSize(DiscordLimits.TITLE);
        assertThat(first.description()).hasSize(DiscordLimits.DESCRIPTION);
        for (Embed embed : fitted.embeds()) {
            assertThat(embed.fields()).hasSizeLessThanOrEqualTo(DiscordLimits.FIELDS);
            for (Field field : embed.fields()) {
                assertThat(field.name()).isNotEmpty().hasSizeLessThanOrEqualTo(DiscordLimits.FIELD_NAME);
                assertThat(field.value()).isNotEmpty().hasSizeLessThanOrEqualTo(DiscordLimits.FIELD_VALUE);
            }
        }
        assertThat(fitted.allowedMentions().parse()).isEmpty();
    }

    @Test
    void leavesAMessageWithinTheLimitsAsItIs() {
        DiscordMessage message = new DiscordMessage("hi", List.of(new Embed("t", "d", null,
                List.of(new Field("n", "v", false)), new Footer("f"), null)));

        assertThat(DiscordLimits.fit(message)).isEqualTo(message);
    }

    @Test
    void neverCutsBetweenABackslashAndWhatItEscapesNorInsideASurrogatePair() {
        assertThat(DiscordLimits.truncate("ab\\*cd", 4)).isEqualTo("ab…");
        assertThat(DiscordLimits.truncate("ab\\\\cd", 5)).isEqualTo("ab\\\\…");
        assertThat(DiscordLimits.truncate("ab\uD83D\uDE00cd", 4)).isEqualTo("ab…");
        assertThat(DiscordLimits.truncate("abc", 3)).isEqualTo("abc");
    }
}
