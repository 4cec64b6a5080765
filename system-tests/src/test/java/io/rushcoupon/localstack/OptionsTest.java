package io.rushcoupon.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class OptionsTest {

    private static Options parse(String... args) {
        return Options.parse(List.of(args), Set.of("--user", "--hours"), Set.of("--admin"));
    }

    @Test
    void readsValuesAndFlags() {
        Options options = parse("--user", "42", "--admin");

        assertThat(options.requiredNumber("--user")).isEqualTo(42);
        assertThat(options.flag("--admin")).isTrue();
        assertThat(options.number("--hours", 12)).isEqualTo(12);
    }

    @Test
    void refusesUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> parse("--users", "42")).hasMessage("unknown option --users");
        assertThatThrownBy(() -> parse("--user")).hasMessage("--user needs a value");
    }

    @Test
    void refusesNumbersThatAreNotPositiveWholeNumbers() {
        for (String bad : List.of("0", "-3", "x", "1.5", "99999999999999999999")) {
            assertThatThrownBy(() -> parse("--user", bad).requiredNumber("--user"))
                    .hasMessage("--user takes a positive whole number, not '" + bad + "'");
        }
        assertThatThrownBy(() -> parse().requiredNumber("--user")).hasMessage("--user is required");
    }
}
