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

    /** Each script that can reopen admission (or remove the coupon) tells the gateways' terminal-state caches. */
    @ParameterizedTest
    @EnumSource(value = CouponScript.class, names = {"ISSUE_COMPENSATE", "ISSUE_FINALIZE", "COUPON_PUBLISH",
            "COUPON_ADJUST_TOTAL", "COUPON_REBUILD", "COUPON_REMOVE", "COUPON_STOCK_REPAIR"})
    void scriptsThatMayReopenAdmissionPublishTheCouponKey(CouponScript script) {
        assertThat(script.source()).contains("redis.call('PUBLISH', '" + CouponKeys.COUPON_CHANGES + "', KEYS[1])");
    }

    @Test
    void readsTheCouponBackFromItsKeyAsTheChangesChannelCarriesIt() {
        assertThat(CouponKeys.couponIdOf(CouponKeys.of(42).coupon())).hasValue(42);
        assertThat(CouponKeys.couponIdOf(CouponKeys.of(42).users())).isEmpty();
        assertThat(CouponKeys.couponIdOf("rc:{c:x}:coupon")).isEmpty();
    }
}
