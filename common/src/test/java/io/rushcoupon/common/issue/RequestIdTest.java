package io.rushcoupon.common.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdTest {

    @Test
    void roundTripsThroughItsPublicForm() {
        RequestId id = RequestId.newFor(42);

        assertThat(id.toString()).startsWith("42-");
        assertThat(RequestId.tryParse(id.toString())).isEqualTo(id);
    }

    @Test
    void carriesTheCouponIdOfItsRequest() {
        UUID uuid = UUID.fromString("0b9f6c2e-3f4a-4f6e-9d1c-7a8b9c0d1e2f");

        assertThat(RequestId.tryParse("7-" + uuid)).isEqualTo(new RequestId(7, uuid));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"42", "-0b9f6c2e-3f4a-4f6e-9d1c-7a8b9c0d1e2f", "0-0b9f6c2e-3f4a-4f6e-9d1c-7a8b9c0d1e2f",
            "x-0b9f6c2e-3f4a-4f6e-9d1c-7a8b9c0d1e2f", "42-not-a-uuid", "42-0b9f6c2e-3f4a-4f6e-9d1c-7a8b9c0d1e2",
            "99999999999999999999-0b9f6c2e-3f4a-4f6e-9d1c-7a8b9c0d1e2f", "42-0b9f6c2e-3f4a-4f6e-9d1c-7a8b9c0d1e2f-extra",
            "42-0b9f6c2e-3f4a-4f6e-9d1c-7a8b9c0d1e2g", "42-<script>alert(1)</script>abcdefghijklmnopqrstuvwx",
            // other spellings of a valid id: one request must have one id (IssueRequestedFuzzTest's finding)
            "42-0B9F6C2E-3F4A-4F6E-9D1C-7A8B9C0D1E2F", "+42-0b9f6c2e-3f4a-4f6e-9d1c-7a8b9c0d1e2f",
            "042-0b9f6c2e-3f4a-4f6e-9d1c-7a8b9c0d1e2f", "42-0b2f9c6e-3f4a-4f6e-17da9-c8b9c0d1e2f"})
    void refusesAnythingThatIsNotARequestId(String value) {
        assertThat(RequestId.tryParse(value)).isNull();
    }

    @Test
    void refusesNonPositiveCouponIds() {
        assertThatThrownBy(() -> RequestId.newFor(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
