package io.rushcoupon.harness.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void failsForAMissingProgramWithTheCommandThatInstallsIt() {
        assertThatThrownBy(() -> HostTools.require("rushcoupon-no-such-program"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bash infra/install-tools.sh rushcoupon-no-such-program");
    }
}
