package io.rushcoupon.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.redisson.client.RedisException;
import org.redisson.client.RedisTimeoutException;

class RedisFailuresTest {

    @Test
    void treatsARefusedConnectionWrappedByRedissonAsUnavailable() {
        // what Redisson 4.7 throws while Redis refuses connections (fault scenario F3)
        var refused = new RedisException("Unexpected exception while processing command",
                new ConnectException("Connection refused: /127.0.0.1:6390"));

        assertThat(RedisFailures.isUnavailable(refused)).isTrue();
        assertThat(RedisFailures.isUnavailable(new CompletionException(refused))).isTrue();
    }

    @Test
    void treatsATimeoutAsUnavailable() {
        assertThat(RedisFailures.isUnavailable(new RedisTimeoutException("no reply in 1000 ms"))).isTrue();
    }

    @Test
    void treatsAScriptErrorAsABugNotAnOutage() {
        var scriptError = new RedisException("ERR user_script:3: attempt to compare nil with number");

        assertThat(RedisFailures.isUnavailable(scriptError)).isFalse();
        assertThat(RedisFailures.isUnavailable(new IllegalStateException("bug"))).isFalse();
    }
}
