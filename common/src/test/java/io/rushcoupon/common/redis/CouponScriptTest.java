package io.rushcoupon.common.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.rushcoupon.common.issue.RequestId;

class CouponScriptTest {

    @ParameterizedTest
    @EnumSource(CouponScript.class)
    void everyScriptIsOnTheClasspathAndDocumentsItsKeys(CouponScript script) {
        assertThat(script.source()).contains("KEYS[1]").contains("redis.call");
    }

    @Test
    void allKeysOfOneCouponShareItsHashTag() {
        CouponKeys keys = CouponKeys.of(42);
        RequestId request = RequestId.newFor(42);

        assertThat(keys.stateKeys()).allMatch(key -> key.contains("{c:42}"));
        assertThat(keys.request(request)).contains("{c:42}");
        assertThat(keys.userLock(7)).contains("{c:42}");
        assertThat(keys.userRate(7)).contains("{c:42}").isNotEqualTo(keys.userLock(7));
        assertThat(keys.pendingCopy("t")).contains("{c:42}").isNotEqualTo(keys.pending());
    }
}
