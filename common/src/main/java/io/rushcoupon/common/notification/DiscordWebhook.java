package io.rushcoupon.common.notification;

import java.net.URI;

/**
 * A webhook URL. Its last path segment is a secret token (…/api/webhooks/&lt;id&gt;/&lt;token&gt;),
 * so it is never logged, stored or shown: {@link #toString()} and {@link #masked()} end in {@code ****},
 * and the outbox records deliveries under the masked form. Here in common so every place that
 * shows one (the worker, {@code ./rushcoupon up}) masks it the same way.
 */
public record DiscordWebhook(URI url) {

    public DiscordWebhook {
        String scheme = url.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || url.getHost() == null) {
            // the URL itself stays out of the message: it may be a real one mistyped
            throw new IllegalArgumentException("a Discord webhook URL must be an http(s) URL with a host");
        }
    }

    /** Binds the worker's {@code rushcoupon.discord.webhook-urls} (comma-separated) element by element. */
    public static DiscordWebhook of(String url) {
        return new DiscordWebhook(URI.create(url.strip()));
    }

    /** Scheme, host, port and path with the last segment (the token) as {@code ****}; no query. */
    public String masked() {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        int last = path.lastIndexOf('/');
        String kept = last < 0 ? "" : path.substring(0, last + 1);
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + kept + "****";
    }

    /** The text with the URL and its token masked: for error messages that might quote them. */
    public String redact(String text) {
        String redacted = text.replace(url.toString(), masked());
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        String token = path.substring(path.lastIndexOf('/') + 1);
        return token.length() >= 8 ? redacted.replace(token, "****") : redacted;
    }

    @Override
    public String toString() {
        return masked();
    }
}
