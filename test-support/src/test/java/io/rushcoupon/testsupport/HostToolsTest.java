package io.rushcoupon.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

class HostToolsTest {

    @Test
    void findsAProgramEveryMachineHasAsAnExecutableFile() {
        assertThat(HostTools.find("sh")).hasValueSatisfying(sh -> {
            assertThat(sh.getFileName()).hasToString("sh");
            assertThat(Files.isExecutable(sh)).isTrue();
        });
    }

    @Test
    void findsNothingForAProgramNoMachineHas() {
        assertThat(HostTools.find("rushcoupon-no-such-program")).isEmpty();
    }
}
