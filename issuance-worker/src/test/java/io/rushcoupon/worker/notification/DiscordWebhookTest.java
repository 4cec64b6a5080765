package io.rushcoupon.worker.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.rushcoupon.common.notification.DiscordWebhook;

class DiscordWebhookTest {

    private static final String URL = "https://discord.com/api/webhooks/1234567890/AbCdEf-secret_token.value?wait=true";

    private static DiscordProperties bind(String urls) {
        return new Binder(new MapConfigurationPropertySource(Map.of("rushcoupon.discord.webhook-urls", urls)))
                .bindOrCreate("rushcoupon.discord", DiscordProperties.class);
    }

    @Test
    void showsOnlyTheWebhooksIdNeverItsToken() {
        DiscordWebhook webhook = DiscordWebhook.of(" " + URL + " ");

        assertThat(webhook.masked()).isEqualTo("https://discord.com/api/webhooks/1234567890/****");
        assertThat(webhook.toString()).isEqualTo(webhook.masked());
        assertThat(webhook.redact("POST " + URL + " failed; token AbCdEf-secret_token.value"))
                .isEqualTo("POST https://discord.com/api/webhooks/1234567890/**** failed; token ****");
    }

    @Test
    void bindsZeroOrMoreCommaSeparatedUrlsAndShowsThemMasked() {
        DiscordProperties two = bind("https://discord.com/api/webhooks/1/tokenOne1, https://discord.com/api/webhooks/2/tokenTwo2");
        DiscordProperties none = bind("");

        assertThat(two.webhookUrls()).extracting(DiscordWebhook::masked).containsExactly(
                "https://discord.com/api/webhooks/1/****", "https://discord.com/api/webhooks/2/****");
        assertThat(two.toString()).doesNotContain("tokenOne1").doesNotContain("tokenTwo2");
        assertThat(none.webhookUrls()).isEmpty();
        assertThat(none.dispatcher().lease()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesAUrlThatIsNotHttpWithoutQuotingIt() {
        assertThatThrownBy(() -> DiscordWebhook.of("ftp://discord.com/api/webhooks/1/secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
    }
}
