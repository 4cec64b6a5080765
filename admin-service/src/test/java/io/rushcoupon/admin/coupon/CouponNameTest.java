package io.rushcoupon.admin.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CouponNameTest {

    private final CouponName.Validator validator = new CouponName.Validator();

    @ParameterizedTest
    @ValueSource(strings = {"Summer drop", "x", "  leading spaces", "trailing spaces  ", "Party \uD83C\uDF89 drop",
            "\u3000ideographic space counts as visible, as before", "한정 쿠폰 10%"})
    void acceptsNamesWithAVisibleCharacterAndNoControlCharacters(String name) {
        assertThat(validator.isValid(name, null)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "     ", "tab\there", "line\nbreak", "\u0000", "bell\u0007",
            "unpaired \uD83C surrogate", "\uDF89"})
    void refusesBlankNamesControlCharactersAndUnpairedSurrogates(String name) {
        assertThat(validator.isValid(name, null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, CouponConstraints.NAME_MAX})
    void acceptsNamesUpToTheMaximumLength(int length) {
        assertThat(validator.isValid("n".repeat(length), null)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {CouponConstraints.NAME_MAX + 1, 60_000})
    void refusesLongerNamesWhateverTheyHold(int length) {
        assertThat(validator.isValid("n".repeat(length), null)).isFalse();
        assertThat(validator.isValid(" ".repeat(length - 1) + "\t", null)).isFalse();
    }
}
