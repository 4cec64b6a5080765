package io.rushcoupon.admin.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;

class ETagsTest {

    @Test
    void matchesTheQuotedVersionAlsoInAList() {
        assertThatCode(() -> ETags.requireMatch("\"3\"", 3)).doesNotThrowAnyException();
        assertThatCode(() -> ETags.requireMatch(" \"1\" , \"3\"", 3)).doesNotThrowAnyException();
    }

    @Test
    void requiresAVersionToCheck() {
        for (String missing : new String[] {null, "", "  ", "*"}) {
            assertThatThrownBy(() -> ETags.requireMatch(missing, 3))
                    .isInstanceOfSatisfying(CouponException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION_REQUIRED));
        }
    }

    @Test
    void refusesOtherWeakOrMalformedTags() {
        for (String stale : new String[] {"\"2\"", "W/\"3\"", "3", "\"03\"", "\"abc\""}) {
            assertThatThrownBy(() -> ETags.requireMatch(stale, 3))
                    .isInstanceOfSatisfying(CouponException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.VERSION_MISMATCH));
        }
    }
}
